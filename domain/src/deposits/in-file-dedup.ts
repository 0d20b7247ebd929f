import { formatMoney, type Cents } from '../money.js';
import type { RowRejection } from './rejection.js';
import type { DepositRow } from './row.js';

/**
 * Remembers the deposit_ids already accepted in one file and judges a repeat:
 * same user and amount → DUPLICATE_IN_FILE (harmless, dropped); anything else →
 * CONFLICT_IN_FILE (the file contradicts itself; the first occurrence stands).
 */
export interface InFileDedup {
  /** Records the row when its deposit_id is new (returns null), or returns why it is refused. */
  check(row: DepositRow): RowRejection | null;
  /** Distinct deposit_ids recorded so far. */
  readonly size: number;
}

/**
 * One tracker per file. A file may hold 150,000 rows, so each deposit_id costs one Map entry
 * pointing at three numbers in flat arrays (first line, user number, amount) rather than an
 * object per row; user ids, which repeat, are stored once and referred to by number.
 */
export const createInFileDedup = (): InFileDedup => {
  const slotByDeposit = new Map<string, number>();
  const userNumbers = new Map<string, number>();
  const userIds: string[] = [];
  const firstLines: number[] = [];
  const users: number[] = [];
  const amounts: Cents[] = [];

  const userNumber = (userId: string): number => {
    let number = userNumbers.get(userId);
    if (number === undefined) {
      number = userIds.length;
      userIds.push(userId);
      userNumbers.set(userId, number);
    }
    return number;
  };

  return {
    check(row) {
      const user = userNumber(row.user_id);
      const slot = slotByDeposit.get(row.deposit_id);
      if (slot === undefined) {
        slotByDeposit.set(row.deposit_id, firstLines.length);
        firstLines.push(row.line);
        users.push(user);
        amounts.push(row.amount);
        return null;
      }
      const firstLine = firstLines[slot] ?? 0;
      const firstUser = users[slot];
      const firstAmount = amounts[slot] ?? 0;
      if (firstUser === user && firstAmount === row.amount) {
        return {
          line: row.line,
          reason: 'DUPLICATE_IN_FILE',
          message: `line ${row.line}: deposit_id "${row.deposit_id}" repeats line ${firstLine} (same user and amount)`,
        };
      }
      const what =
        firstUser === user
          ? `amount ${formatMoney(row.amount)} differs from ${formatMoney(firstAmount)}`
          : `user_id "${row.user_id}" differs from "${userIds[firstUser ?? 0] ?? ''}"`;
      return {
        line: row.line,
        reason: 'CONFLICT_IN_FILE',
        message: `line ${row.line}: deposit_id "${row.deposit_id}" was first seen on line ${firstLine}; ${what}`,
      };
    },
    get size() {
      return slotByDeposit.size;
    },
  };
};
