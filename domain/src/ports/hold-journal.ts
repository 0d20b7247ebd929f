import type { AccountOperationPlan, AccountOperationStamp } from '../account-operation.js';
import type { Cents } from '../money.js';

/**
 * One entry of the journal of holds: an account operation as the account item's change stream
 * shows it (the stamp it left and the available it produced).
 */
export interface HoldJournalEntry {
  /** The account's partner: the claim the stamp names is this partner's transaction. */
  readonly partner_id: string;
  readonly user_id: string;
  readonly stamp: AccountOperationStamp;
  readonly available_after: Cents;
}

/**
 * released: the hold was given back now; already: an earlier delivery gave it back;
 * account-moved: a window the plan gives usage back to rolled meanwhile (plan it again).
 */
export type ReleaseOutcome = 'released' | 'already-released' | 'account-moved';

/**
 * Gives back a hold whose attempt lost its claim: the release plan on the account and a release
 * mark on the claim, atomically, so however often the journal delivers the entry the hold is
 * given back once. Rare (a crashed or timed-out attempt that was taken over) and off the hot path.
 */
export interface OrphanHolds {
  /** On the partner's account (`plan.user_id`) and its claim (`plan.stamp.key`). */
  release(partnerId: string, plan: AccountOperationPlan): Promise<ReleaseOutcome>;
}
