import { addCents, formatMoney, type Cents } from '../money.js';
import type { AuroraUserFigures, CacheItemFigures } from './inputs.js';
import type { Difference } from './report.js';

/** What one user's figures must satisfy, gathered from every store. */
export interface UserFigures {
  readonly user_id: string;
  /** Undefined when Aurora has no such user. */
  readonly aurora: AuroraUserFigures | undefined;
  /** Undefined when the user has no CreditCache item: it is seeded on first use, so that is no drift. */
  readonly cache: CacheItemFigures | undefined;
  /** Sum of the user's PERMITTED decisions not yet settled into Aurora. */
  readonly unsettledPermits: Cents;
}

const delta = (expected: Cents | null, actual: Cents | null): Cents =>
  addCents(actual ?? 0, -(expected ?? 0));

/**
 * The per-user rules of invariant 5:
 * - Aurora: deposits_total - permitted_total = credit_balance (a missing row counts as 0);
 * - CreditCache: available = credit_balance - unsettled permits (the holds Aurora has not seen);
 * - a CreditCache item needs an Aurora user.
 * The cache is compared with the stored balance, as DESIGN.md states it; so a wrong balance also
 * shows as a cache mismatch when the user has an item.
 */
export const checkUserBooks = ({
  user_id,
  aurora,
  cache,
  unsettledPermits,
}: UserFigures): Difference[] => {
  const differences: Difference[] = [];
  if (aurora === undefined) {
    if (cache !== undefined) {
      differences.push({
        kind: 'CACHE_WITHOUT_ACCOUNT',
        user_id,
        expected: null,
        actual: cache.available,
        delta: cache.available,
        message: `CreditCache holds ${formatMoney(cache.available)} for a user Aurora does not know`,
      });
    }
    return differences;
  }

  const books = addCents(aurora.deposits_total, -aurora.permitted_total);
  if (aurora.balance !== books) {
    const stored =
      aurora.balance === null
        ? 'no credit_balance row'
        : `credit_balance ${formatMoney(aurora.balance)}`;
    if (aurora.balance !== null || books !== 0) {
      differences.push({
        kind: 'BALANCE_MISMATCH',
        user_id,
        expected: books,
        actual: aurora.balance,
        delta: delta(books, aurora.balance),
        message: `${stored}, but deposits ${formatMoney(aurora.deposits_total)} - permitted ${formatMoney(aurora.permitted_total)} = ${formatMoney(books)}`,
      });
    }
  }

  if (cache !== undefined) {
    const expected = addCents(aurora.balance ?? 0, -unsettledPermits);
    if (cache.available !== expected) {
      differences.push({
        kind: 'CACHE_MISMATCH',
        user_id,
        expected,
        actual: cache.available,
        delta: delta(expected, cache.available),
        message: `CreditCache.available ${formatMoney(cache.available)}, but credit_balance ${formatMoney(aurora.balance ?? 0)} - unsettled permits ${formatMoney(unsettledPermits)} = ${formatMoney(expected)}`,
      });
    }
  }
  return differences;
};
