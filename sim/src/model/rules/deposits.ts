import type { Violation } from '../../checker/verdicts.js';
import { accountOf, key, type ModelState } from '../state.js';

/**
 * Deposits: a deposit_id credits its user once, with the first amount accepted for it. A file
 * in flight may have credited any part of its new deposits; once it is done, all of them.
 */
export interface DepositRow {
  readonly depositId: string;
  readonly user: string;
  readonly amount: number;
}

/** The new deposits of a file, per user (ids the model has not credited yet, first occurrence). */
const newCredits = (
  state: ModelState,
  partner: string,
  rows: readonly DepositRow[],
): Map<string, number> => {
  const seen = new Set<string>();
  const byUser = new Map<string, number>();
  for (const row of rows) {
    if (seen.has(row.depositId) || state.deposits.has(key(partner, row.depositId))) continue;
    seen.add(row.depositId);
    byUser.set(row.user, (byUser.get(row.user) ?? 0) + row.amount);
  }
  return byUser;
};

export const depositFileStarted = (
  state: ModelState,
  op: number,
  partner: string,
  rows: readonly DepositRow[],
): void => {
  for (const [user, amount] of newCredits(state, partner, rows))
    accountOf(state, partner, user).creditInFlight.set(op, amount);
};

export const depositFileDone = (
  state: ModelState,
  op: number,
  partner: string,
  rows: readonly DepositRow[],
): Violation[] => {
  for (const account of state.accounts.values())
    if (account.partner === partner) account.creditInFlight.delete(op);
  for (const row of rows) {
    const id = key(partner, row.depositId);
    if (state.deposits.has(id)) continue;
    state.deposits.set(id, { user: row.user, amount: row.amount });
    accountOf(state, partner, row.user).credited += row.amount;
  }
  return [];
};

/** What a finished file's summary must say: how many of its rows were credited by it. */
export const checkFileSummary = (
  partner: string,
  op: number,
  summary: { accepted?: number; rejected?: number; rows?: number },
  expected: { readonly rows: number; readonly bad: number; readonly entities: readonly string[] },
): Violation[] => {
  const violations: Violation[] = [];
  if (summary.rows !== undefined && summary.rows !== expected.rows) {
    violations.push({
      kind: 'inconsistent-answer',
      op,
      message: `deposit file of op #${op}: summary counts ${summary.rows} rows, the file has ${expected.rows}`,
      entities: expected.entities,
    });
  }
  if (summary.rejected !== undefined && summary.rejected < expected.bad) {
    violations.push({
      kind: 'inconsistent-answer',
      op,
      message: `deposit file of op #${op}: ${summary.rejected} rows rejected, the file has ${expected.bad} bad rows`,
      entities: expected.entities,
    });
  }
  return violations;
};
