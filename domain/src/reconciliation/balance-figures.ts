import type { BalanceDeltas } from '../contracts/lifecycle.js';
import { addCents, formatMoney, type Cents } from '../money.js';
import type {
  AuroraHoldBooks,
  AuroraUserFigures,
  CacheItemFigures,
  UnsettledDecision,
} from './inputs.js';
import type { Difference, DifferenceKind } from './report.js';

/**
 * A user's four figures on the Aurora side, from the decisions and the lifecycle rows (see
 * 004_lifecycle.sql): `posted + pending` is everything permitted or incremented and not given
 * back, `pending` what the holds still hold.
 */
export interface AuroraBalance {
  readonly credited: Cents;
  readonly posted: Cents;
  readonly pending: Cents;
  /** credit_balance: available as settled; null without a row. */
  readonly balance: Cents | null;
}

export const auroraBalance = (
  figures: AuroraUserFigures,
  holds: AuroraHoldBooks | undefined,
): AuroraBalance => {
  const pending = holds?.pending ?? 0;
  const given = addCents(holds?.released ?? 0, holds?.refunded ?? 0);
  const taken = addCents(figures.permitted_total, holds?.increments ?? 0);
  return {
    credited: figures.deposits_total,
    posted: addCents(addCents(taken, -given), -pending),
    pending,
    balance: figures.balance,
  };
};

/** What an unsettled decision does to the figures: a manual PERMIT holds, an automatic one posts. */
export const decisionDeltas = (decision: UnsettledDecision): BalanceDeltas => {
  if (decision.status !== 'PERMITTED') return { available: 0, pending: 0, posted: 0 };
  return decision.capture_method === 'manual'
    ? { available: -decision.amount, pending: decision.amount, posted: 0 }
    : { available: -decision.amount, pending: 0, posted: decision.amount };
};

export const addDeltas = (a: BalanceDeltas, b: BalanceDeltas): BalanceDeltas => ({
  available: addCents(a.available, b.available),
  pending: addCents(a.pending, b.pending),
  posted: addCents(a.posted, b.posted),
});

const mismatch = (
  kind: DifferenceKind,
  user_id: string,
  expected: Cents,
  actual: Cents,
  message: string,
): Difference => ({
  kind,
  user_id,
  expected,
  actual,
  delta: addCents(actual, -expected),
  message,
});

/**
 * Invariant 5 figure by figure, for an account item that carries credited, posted and pending:
 * - on the item itself, available = credited - posted - pending (ACCOUNT_FIGURES_BROKEN);
 * - against Aurora, each figure equals Aurora's plus what DynamoDB recorded and Aurora has not
 *   settled yet (`unsettled`): CREDITED_, POSTED_, PENDING_MISMATCH. (available is compared by
 *   CACHE_MISMATCH, for every item.) Deposits credited in DynamoDB and not yet in Aurora show
 *   both here and, one by one, as DEPOSIT_MISSING_IN_AURORA.
 */
export const checkBalanceFigures = (
  user_id: string,
  aurora: AuroraBalance,
  cache: CacheItemFigures,
  unsettled: BalanceDeltas,
): Difference[] => {
  const { credited, posted, pending } = cache;
  if (credited === undefined || posted === undefined || pending === undefined) return [];
  const differences: Difference[] = [];
  const own = credited - posted - pending;
  if (own !== cache.available) {
    differences.push(
      mismatch(
        'ACCOUNT_FIGURES_BROKEN',
        user_id,
        own,
        cache.available,
        `account item holds available ${formatMoney(cache.available)}, but its credited ${formatMoney(credited)} - posted ${formatMoney(posted)} - pending ${formatMoney(pending)} = ${formatMoney(own)}`,
      ),
    );
  }
  if (credited !== aurora.credited) {
    differences.push(
      mismatch(
        'CREDITED_MISMATCH',
        user_id,
        aurora.credited,
        credited,
        `account item credited ${formatMoney(credited)}, Aurora deposits ${formatMoney(aurora.credited)}`,
      ),
    );
  }
  const expectedPosted = addCents(aurora.posted, unsettled.posted);
  if (posted !== expectedPosted) {
    differences.push(
      mismatch(
        'POSTED_MISMATCH',
        user_id,
        expectedPosted,
        posted,
        `account item posted ${formatMoney(posted)}, Aurora posted ${formatMoney(aurora.posted)} + unsettled ${formatMoney(unsettled.posted)} = ${formatMoney(expectedPosted)}`,
      ),
    );
  }
  const expectedPending = addCents(aurora.pending, unsettled.pending);
  if (pending !== expectedPending) {
    differences.push(
      mismatch(
        'PENDING_MISMATCH',
        user_id,
        expectedPending,
        pending,
        `account item pending ${formatMoney(pending)}, Aurora pending ${formatMoney(aurora.pending)} + unsettled ${formatMoney(unsettled.pending)} = ${formatMoney(expectedPending)}`,
      ),
    );
  }
  return differences;
};
