import { z } from 'zod';
import { centsSchema } from '../contracts/amount.js';
import type { Cents } from '../money.js';

/**
 * Balance monitors: thresholds on `available`, set per user (with the controls) or for the
 * whole program (per partner, in the stack file). Crossing a threshold downwards publishes
 * `BalanceLow`, back upwards `BalanceRestored`: once per crossing, judged from the previous and
 * the new `available` of one change of the account item (its stream's OLD and NEW images), so
 * each change is judged exactly once and a stream record redelivered yields the same events
 * (the caller names them after the change, so duplicates collapse).
 *
 * "Below" means strictly below: at exactly the threshold the balance is not low.
 */
export const MAX_USER_BALANCE_MONITORS = 3;

export const balanceMonitorScopes = ['user', 'program'] as const;
export type BalanceMonitorScope = (typeof balanceMonitorScopes)[number];

export const balanceEventTypes = ['BalanceLow', 'BalanceRestored'] as const;
export type BalanceEventType = (typeof balanceEventTypes)[number];

export interface BalanceMonitor {
  readonly threshold: Cents;
  readonly scope: BalanceMonitorScope;
}

export interface BalanceCrossing extends BalanceMonitor {
  readonly type: BalanceEventType;
  readonly previous: Cents;
  readonly available: Cents;
}

/** Detail of a `BalanceLow` / `BalanceRestored` event (and its callback body). */
export const balanceCrossingDetailSchema = z.object({
  type: z.enum(balanceEventTypes),
  partner_id: z.string(),
  user_id: z.string(),
  threshold: centsSchema,
  scope: z.enum(balanceMonitorScopes),
  previous: centsSchema,
  available: centsSchema,
  /** Names the change that crossed: equal for a redelivered stream record. */
  change_id: z.string(),
});
export type BalanceCrossingDetail = z.infer<typeof balanceCrossingDetailSchema>;

/**
 * The crossings one change of `available` makes, per monitor (a threshold both scopes name is
 * judged once, as the user's). Without a previous value (the item was just created) there is
 * nothing to cross: monitors judge changes, not the first state.
 */
export const balanceCrossings = (
  monitors: readonly BalanceMonitor[],
  previous: Cents | null,
  available: Cents | null,
): BalanceCrossing[] => {
  if (previous === null || available === null || previous === available) return [];
  const seen = new Set<Cents>();
  const crossings: BalanceCrossing[] = [];
  const ordered = [...monitors].sort((a, b) => (a.scope === b.scope ? a.threshold - b.threshold : a.scope === 'user' ? -1 : 1));
  for (const monitor of ordered) {
    if (seen.has(monitor.threshold)) continue;
    seen.add(monitor.threshold);
    const wasLow = previous < monitor.threshold;
    const isLow = available < monitor.threshold;
    if (wasLow === isLow) continue;
    crossings.push({ ...monitor, type: isLow ? 'BalanceLow' : 'BalanceRestored', previous, available });
  }
  return crossings.sort((a, b) => a.threshold - b.threshold);
};

/**
 * The monitors that watch an account: its own (once the partner set its controls) and the
 * program's, which watch every user of the partner.
 */
export const monitorsOf = (
  own: { readonly version: number; readonly balance_monitors: readonly Cents[] } | undefined,
  program: readonly Cents[],
): BalanceMonitor[] => [
  ...(own !== undefined && own.version > 0 ? own.balance_monitors : []).map((threshold) => ({ threshold, scope: 'user' as const })),
  ...program.map((threshold) => ({ threshold, scope: 'program' as const })),
];

/**
 * One change of an account's `available`, as its item's change stream tells it: the figure
 * before (null when the change created the item) and after, the account's own monitors as the
 * change left them, and the change's name (the stream record's sequence number).
 */
export interface BalanceChange {
  readonly partner_id: string;
  readonly user_id: string;
  readonly previous: Cents | null;
  readonly available: Cents;
  readonly own: { readonly version: number; readonly balance_monitors: readonly Cents[] } | undefined;
  readonly change_id: string;
}

/**
 * The events one change publishes: a crossing per monitor it crossed, each named by the change,
 * so a redelivered stream record yields the very same details (consumers deduplicate on
 * `change_id` and `threshold`). Every kind of change is judged alike, whatever made it: a hold,
 * a release, a deposit, a lifecycle step.
 */
export const crossingDetails = (change: BalanceChange, program: readonly Cents[]): BalanceCrossingDetail[] =>
  balanceCrossings(monitorsOf(change.own, program), change.previous, change.available).map((crossing) => ({
    type: crossing.type,
    partner_id: change.partner_id,
    user_id: change.user_id,
    threshold: crossing.threshold,
    scope: crossing.scope,
    previous: crossing.previous,
    available: crossing.available,
    change_id: change.change_id,
  }));
