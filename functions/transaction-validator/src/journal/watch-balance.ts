import { detailTypes, eventSources } from '@creditline/adapters/definitions';
import {
  crossingDetails,
  type BalanceChange,
  type BalanceCrossingDetail,
  type Cents,
  type EventPublisher,
} from '@creditline/domain';

export interface WatchBalanceDependencies {
  readonly publisher: EventPublisher;
  /** The partner's program-wide thresholds (stack file): they watch every user of the partner. */
  readonly programMonitors: (partnerId: string) => readonly Cents[];
}

export type WatchBalance = (change: BalanceChange) => Promise<readonly BalanceCrossingDetail[]>;

/**
 * Balance monitors, judged where every change of an account passes: its item's stream. A hold
 * takes `available` down (BalanceLow), a deposit, a release or a refund brings it back
 * (BalanceRestored); each change is judged once from its own before and after, so a crossing is
 * published once per crossing however the request that made it ended. A publish that fails
 * throws, and the stream record is read again: the same change yields the same details
 * (`change_id`), which is what the callbacks deduplicate on.
 */
export const createWatchBalance =
  (deps: WatchBalanceDependencies): WatchBalance =>
  async (change) => {
    const crossings = crossingDetails(change, deps.programMonitors(change.partner_id));
    if (crossings.length === 0) return crossings;
    await deps.publisher.publish(
      crossings.map((detail) => ({
        source: eventSources.controls,
        detailType: detail.type === 'BalanceLow' ? detailTypes.balanceLow : detailTypes.balanceRestored,
        detail,
      })),
    );
    return crossings;
  };
