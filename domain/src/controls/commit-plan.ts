import type { Cents } from '../money.js';
import { limitFor, type AccountControls, type VelocityInterval, type VelocityLimit } from './controls.js';
import { evaluateSpend, type ControlledAccount, type ControlsVerdict, type Spend } from './evaluate.js';
import {
  calendarIntervals,
  effectiveCalendar,
  effectiveRolling,
  rollingPast,
  type CalendarUsage,
  type RollingUsage,
  type VelocityUsage,
  type WindowTally,
} from './usage.js';
import { calendarIndex, hourIndex, type CalendarInterval } from './windows.js';

/**
 * How a decision's check and its hold become ONE conditional write on the account item.
 *
 * A condition expression cannot add, so the plan states every rule as a comparison of a stored
 * value with a threshold computed here: `daily_amount <= limit − amount` instead of
 * `daily_amount + amount <= limit`. The thresholds only depend on values the condition itself
 * pins (the controls version, the window a tally belongs to), never on tallies that concurrent
 * decisions move. So concurrent decisions do not conflict: each adds its spend if, at the
 * instant of its write, the stored tally still leaves room, and the store serialises them. When
 * a pinned value moved (controls changed, a window rolled), the write fails, the item's old
 * image comes back, and the caller plans again from it: either the same rules now refuse (the
 * refusal is named from that image) or the new plan commits.
 *
 * Windows roll without a scan: the first spend in a newer window replaces the stored tally
 * (an `open` step, guarded by the stored window it replaces); later spends `accumulate`.
 *
 * Only the windows a limit uses are tracked, so an account without velocity limits commits
 * exactly as before (no window in the condition, nothing to read first). The price: a limit
 * counts the spend from the moment it applies, not what its window held before it was set.
 */

/** Add to the stored calendar window `start`, if its tally is at most the thresholds. */
export interface AccumulateCalendar {
  readonly kind: 'accumulate';
  readonly start: number;
  readonly amount_at_most?: Cents;
  readonly count_at_most?: number;
  readonly add: WindowTally;
}
/** Replace the stored window (`expected_start`, null when none is stored) by a new one. */
export interface OpenCalendar {
  readonly kind: 'open';
  readonly expected_start: number | null;
  readonly set: CalendarUsage;
}
export type CalendarStep = AccumulateCalendar | OpenCalendar;

/** Add to the open bucket of `hour`; the closed buckets are pinned by the hour itself. */
export interface AccumulateRolling {
  readonly kind: 'accumulate';
  readonly hour: number;
  readonly amount_at_most?: Cents;
  readonly count_at_most?: number;
  readonly add: WindowTally;
}
/**
 * Move the open hour: the new closed buckets are computed from the stored open bucket, so the
 * condition pins that bucket's tally too (it can still grow until the hour moves).
 */
export interface OpenRolling {
  readonly kind: 'open';
  readonly expected: { readonly hour: number; readonly amount: Cents; readonly count: number } | null;
  readonly set: RollingUsage;
}
/**
 * Rewrite the closed buckets while the open hour stays `hour` (which pins them): a release
 * giving back spend that counted in an hour that has closed since.
 */
export interface AmendRolling {
  readonly kind: 'amend';
  readonly hour: number;
  readonly past_amounts: readonly Cents[];
  readonly past_counts: readonly number[];
}
export type RollingStep = AccumulateRolling | OpenRolling | AmendRolling;

/** Lifetime never rolls: an absent tally counts as zero. */
export interface AccumulateLifetime {
  readonly amount_at_most?: Cents;
  readonly count_at_most?: number;
  readonly add: WindowTally;
}

export interface ControlsCommitPlan {
  /** The controls the plan was made from: `0` means never set (the attribute is absent). */
  readonly controls_version: number;
  /** The hold's own rule: `available >= amount`. */
  readonly available_at_least: Cents;
  /** One step per window a limit uses; absent windows are not tracked. */
  readonly daily?: CalendarStep;
  readonly weekly?: CalendarStep;
  readonly monthly?: CalendarStep;
  readonly rolling_24h?: RollingStep;
  readonly lifetime?: AccumulateLifetime;
}

/** The account item's state as far as the commit is concerned. */
export interface ControlledAccountState extends ControlledAccount {
  readonly controls_version: number;
}

export type SpendPlan =
  | { readonly verdict: 'PERMIT'; readonly plan: ControlsCommitPlan }
  | Extract<ControlsVerdict, { verdict: 'REJECT' }>;

/** Thresholds for one window: what the stored tally may be, at most, for the spend to fit. */
const thresholds = (
  limit: VelocityLimit | undefined,
  spend: Spend,
  fixed: WindowTally,
): { amount_at_most?: Cents; count_at_most?: number } => ({
  ...(limit?.max_amount !== undefined ? { amount_at_most: limit.max_amount - fixed.amount - spend.amount } : {}),
  ...(limit?.max_count !== undefined && spend.count > 0 ? { count_at_most: limit.max_count - fixed.count - spend.count } : {}),
});

const calendarStep = (
  controls: AccountControls,
  interval: CalendarInterval,
  stored: CalendarUsage | null,
  spend: Spend,
  now: Date,
): CalendarStep => {
  const window = effectiveCalendar(stored, calendarIndex(interval, now));
  const add = { amount: spend.amount, count: spend.count };
  if (window.rolled) {
    return { kind: 'open', expected_start: stored?.start ?? null, set: { start: window.start, ...add } };
  }
  return { kind: 'accumulate', start: window.start, ...thresholds(limitFor(controls, interval), spend, { amount: 0, count: 0 }), add };
};

const rollingStep = (controls: AccountControls, stored: RollingUsage | null, spend: Spend, now: Date): RollingStep => {
  const rolling = effectiveRolling(stored, hourIndex(now));
  const add = { amount: spend.amount, count: spend.count };
  if (rolling.rolled) {
    return {
      kind: 'open',
      expected: stored === null ? null : { hour: stored.hour, amount: stored.amount, count: stored.count },
      set: { hour: rolling.hour, ...add, past_amounts: rolling.past_amounts, past_counts: rolling.past_counts },
    };
  }
  return { kind: 'accumulate', hour: rolling.hour, ...thresholds(limitFor(controls, 'rolling_24h'), spend, rollingPast(rolling)), add };
};

/**
 * Judges the spend against the account as last seen and, when it is permitted, plans the one
 * conditional write that commits it: the write succeeds only if the same judgement still holds
 * on the item at that instant. Pure; `now` is the decision time.
 */
export const planSpend = (account: ControlledAccountState, spend: Spend, now: Date): SpendPlan => {
  const verdict = evaluateSpend(account, spend, now);
  if (verdict.verdict === 'REJECT') return verdict;
  const { controls, usage } = account;
  const limited = (interval: VelocityInterval): boolean => limitFor(controls, interval) !== undefined;
  const calendar = Object.fromEntries(
    calendarIntervals.filter(limited).map((interval) => [interval, calendarStep(controls, interval, usage[interval], spend, now)]),
  ) as Partial<Record<CalendarInterval, CalendarStep>>;
  return {
    verdict: 'PERMIT',
    plan: {
      controls_version: account.controls_version,
      available_at_least: spend.amount,
      ...calendar,
      ...(limited('rolling_24h') ? { rolling_24h: rollingStep(controls, usage.rolling_24h, spend, now) } : {}),
      ...(limited('lifetime')
        ? { lifetime: { ...thresholds(limitFor(controls, 'lifetime'), spend, { amount: 0, count: 0 }), add: { amount: spend.amount, count: spend.count } } }
        : {}),
    },
  };
};

// ---------------------------------------------------------------------------------------------
// The plan's meaning, as a pure function: what the conditional write does to the item. The
// DynamoDB rendering (adapters) is tested against it, and the property tests run it against a
// reference model under interleavings.

const fits = (tally: WindowTally, step: { amount_at_most?: Cents; count_at_most?: number }): boolean =>
  (step.amount_at_most === undefined || tally.amount <= step.amount_at_most) &&
  (step.count_at_most === undefined || tally.count <= step.count_at_most);

const addTo = <T extends WindowTally>(tally: T, add: WindowTally): T => ({ ...tally, amount: tally.amount + add.amount, count: tally.count + add.count });

const applyCalendar = (stored: CalendarUsage | null, step: CalendarStep | undefined): CalendarUsage | null | 'failed' => {
  if (step === undefined) return stored;
  if (step.kind === 'open') return (stored?.start ?? null) === step.expected_start ? step.set : 'failed';
  if (stored === null || stored.start !== step.start || !fits(stored, step)) return 'failed';
  return addTo(stored, step.add);
};

const applyRolling = (stored: RollingUsage | null, step: RollingStep | undefined): RollingUsage | null | 'failed' => {
  if (step === undefined) return stored;
  if (step.kind === 'open') {
    const matches =
      step.expected === null
        ? stored === null
        : stored !== null && stored.hour === step.expected.hour && stored.amount === step.expected.amount && stored.count === step.expected.count;
    return matches ? step.set : 'failed';
  }
  if (step.kind === 'amend') {
    if (stored === null || stored.hour !== step.hour) return 'failed';
    return { ...stored, past_amounts: step.past_amounts, past_counts: step.past_counts };
  }
  if (stored === null || stored.hour !== step.hour || !fits(stored, step)) return 'failed';
  return addTo(stored, step.add);
};

/**
 * Applies a plan to the item's state as the conditional write would: all conditions hold and
 * every change is made, or nothing changes (`null`: the condition failed).
 */
export const applySpendPlan = (state: ControlledAccountState, plan: ControlsCommitPlan): ControlledAccountState | null => {
  if (state.controls_version !== plan.controls_version || state.available < plan.available_at_least) return null;
  const usage = applyWindowSteps(state.usage, plan);
  return usage === null ? null : { ...state, available: state.available - plan.available_at_least, usage };
};

/** The window steps of a plan: one per tracked window, each with its own pin. */
export interface WindowSteps {
  readonly daily?: CalendarStep | undefined;
  readonly weekly?: CalendarStep | undefined;
  readonly monthly?: CalendarStep | undefined;
  readonly rolling_24h?: RollingStep | undefined;
  readonly lifetime?: AccumulateLifetime | undefined;
}

/** The tallies after the steps, or null when a step's pin or threshold does not hold. */
export const applyWindowSteps = (usage: VelocityUsage, steps: WindowSteps): VelocityUsage | null => {
  const state = { usage };
  const daily = applyCalendar(state.usage.daily, steps.daily);
  const weekly = applyCalendar(state.usage.weekly, steps.weekly);
  const monthly = applyCalendar(state.usage.monthly, steps.monthly);
  const rolling = applyRolling(state.usage.rolling_24h, steps.rolling_24h);
  const lifetime = state.usage.lifetime ?? { amount: 0, count: 0 };
  if (daily === 'failed' || weekly === 'failed' || monthly === 'failed' || rolling === 'failed') return null;
  if (steps.lifetime !== undefined && !fits(lifetime, steps.lifetime)) return null;
  return {
    daily,
    weekly,
    monthly,
    rolling_24h: rolling,
    lifetime: steps.lifetime === undefined ? state.usage.lifetime : addTo(lifetime, steps.lifetime.add),
  };
};
