import type { BalanceDeltas } from '../contracts/lifecycle.js';
import { addCents, formatMoney, type Cents } from '../money.js';
import { auroraBalance, checkBalanceFigures } from './balance-figures.js';
import type { AuroraHoldBooks, AuroraUserFigures, CacheItemFigures } from './inputs.js';
import type { Difference } from './report.js';

/** What one user's figures must satisfy, gathered from every store. */
export interface UserFigures {
  readonly user_id: string;
  /** Undefined when Aurora has no such user. */
  readonly aurora: AuroraUserFigures | undefined;
  /** Undefined when the user has no CreditCache item: it is seeded on first use, so that is no drift. */
  readonly cache: CacheItemFigures | undefined;
  /** The lifecycle rows' sums; undefined when the user has no hold in Aurora. */
  readonly holds?: AuroraHoldBooks | undefined;
  /**
   * What DynamoDB recorded and Aurora has not settled yet: the PERMITTED decisions and the
   * lifecycle steps, as deltas on the account's figures.
   */
  readonly unsettled: BalanceDeltas;
}

const delta = (expected: Cents | null, actual: Cents | null): Cents =>
  addCents(actual ?? 0, -(expected ?? 0));

/**
 * The per-user rules of invariant 5:
 * - Aurora: deposits_total - permitted_total - increments + released + refunded = credit_balance
 *   (a missing row counts as 0; the lifecycle terms are 0 for a user without holds);
 * - CreditCache: available = credit_balance + unsettled available (the holds and steps Aurora
 *   has not seen);
 * - an item that carries credited, posted and pending: see `checkBalanceFigures`;
 * - a CreditCache item needs an Aurora user.
 * The cache is compared with the stored balance, as DESIGN.md states it; so a wrong balance also
 * shows as a cache mismatch when the user has an item.
 */
export const checkUserBooks = ({
  user_id,
  aurora,
  cache,
  holds,
  unsettled,
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

  const lifecycle =
    holds === undefined ? 0 : addCents(addCents(holds.released, holds.refunded), -holds.increments);
  const books = addCents(addCents(aurora.deposits_total, -aurora.permitted_total), lifecycle);
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
        message:
          holds === undefined
            ? `${stored}, but deposits ${formatMoney(aurora.deposits_total)} - permitted ${formatMoney(aurora.permitted_total)} = ${formatMoney(books)}`
            : `${stored}, but deposits ${formatMoney(aurora.deposits_total)} - permitted ${formatMoney(aurora.permitted_total)} - increments ${formatMoney(holds.increments)} + released ${formatMoney(holds.released)} + refunded ${formatMoney(holds.refunded)} = ${formatMoney(books)}`,
      });
    }
  }

  if (cache !== undefined) {
    const expected = addCents(aurora.balance ?? 0, unsettled.available);
    if (cache.available !== expected) {
      differences.push({
        kind: 'CACHE_MISMATCH',
        user_id,
        expected,
        actual: cache.available,
        delta: delta(expected, cache.available),
        message: `CreditCache.available ${formatMoney(cache.available)}, but credit_balance ${formatMoney(aurora.balance ?? 0)} - unsettled ${formatMoney(-unsettled.available)} = ${formatMoney(expected)}`,
      });
    }
    differences.push(
      ...checkBalanceFigures(user_id, auroraBalance(aurora, holds), cache, unsettled),
    );
  }
  return differences;
};
