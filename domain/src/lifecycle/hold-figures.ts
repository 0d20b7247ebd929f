import type {
  BalanceFigures,
  BalanceDeltas,
  HoldState,
  HoldStatus,
} from '../contracts/lifecycle.js';
import { addCents, type Cents } from '../money.js';

/** What the hold holds now: authorized, less captured, less released. */
export const heldAmount = (hold: HoldState): Cents =>
  hold.decision === 'PERMITTED' ? hold.amount - hold.captured - hold.released : 0;

/** Captured and not refunded: what this hold contributes to the account's `posted`. */
export const postedAmount = (hold: HoldState): Cents => hold.captured - hold.refunded;

/**
 * The status follows from the figures, so it cannot disagree with them. A hold is open while
 * nothing closed it (it then holds something: a capture of all that is held closes it).
 */
export const holdStatus = (hold: HoldState): HoldStatus => {
  if (hold.decision === 'REJECTED') return 'rejected';
  if (hold.captured === 0) {
    if (hold.closed_by === 'void') return 'voided';
    if (hold.closed_by === 'expiry') return 'expired';
    return 'authorized';
  }
  if (hold.closed_by === null) return 'partially_captured';
  if (hold.refunded === hold.captured) return 'refunded';
  return hold.refunded > 0 ? 'partially_refunded' : 'captured';
};

/** A user's balance from its three stored figures: available is never stored apart from them. */
export const balanceOf = (figures: Omit<BalanceFigures, 'available'>): BalanceFigures => ({
  ...figures,
  available: figures.credited - figures.posted - figures.pending,
});

export const noDeltas: BalanceDeltas = { available: 0, pending: 0, posted: 0 };

/** Applies one operation's deltas; credited never moves with a hold. */
export const applyDeltas = (balance: BalanceFigures, deltas: BalanceDeltas): BalanceFigures =>
  balanceOf({
    credited: balance.credited,
    posted: addCents(balance.posted, deltas.posted),
    pending: addCents(balance.pending, deltas.pending),
  });
