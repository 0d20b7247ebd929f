import type { AccountOperationPlan, AccountOperationStamp } from '../account-operation.js';
import type { AuthorizationRequest } from '../authorization.js';
import type { CreditAccount } from '../contracts/account.js';
import type { Decision } from '../contracts/transaction.js';
import { planSpend, type CalendarStep, type ControlledAccountState, type RollingStep, type WindowSteps } from './commit-plan.js';
import type { DeclineDetail } from './decline-detail.js';
import { effectiveControls, type ProgramControls, type StoredControls } from './effective.js';
import { evaluateSpend, type ControlRejectReason, type Spend } from './evaluate.js';
import { calendarIntervals, noUsage } from './usage.js';
import { ROLLING_CLOSED_BUCKETS } from './windows.js';

/**
 * The hold with every control in its condition: status, currency, the per-transaction maximum,
 * each velocity limit (amount and count, in its UTC window) and the credit, plus the tallies it
 * adds, as ONE account operation plan. The plan is made from the account as last seen (the
 * image a previous write returned, or none at all): every value it assumed is pinned by its
 * condition (the controls version, each window it counts in), so a stale image can only make
 * the write fail, never let a spend through that the item at that instant would refuse. A
 * failed write returns the item as it was (ALL_OLD) and the hold is planned again from it.
 */

export type ControlledHold =
  | { readonly kind: 'hold'; readonly plan: AccountOperationPlan }
  | { readonly kind: 'reject'; readonly reason: ControlRejectReason; readonly detail: DeclineDetail }
  /** Not a positive number of cents: nothing can be held (`decide` names it). */
  | { readonly kind: 'invalid-amount' };

export interface ControlledHoldInput {
  readonly request: AuthorizationRequest;
  /** The account as last seen; null when never seen (the plan assumes a fresh, open account). */
  readonly account: CreditAccount | null;
  readonly program: ProgramControls;
  /** The request's deadline (requestDeadline), null for none. */
  readonly deadline: Date | null;
  readonly now: Date;
  readonly stamp: Omit<AccountOperationStamp, 'kind' | 'amount' | 'w'>;
}

/** The controls an account item stores; a books account (no item yet) carries its own three. */
const storedControlsOf = (account: CreditAccount): StoredControls =>
  account.controlled?.stored ?? {
    status: account.status,
    currency: account.currency,
    max_per_transaction: account.per_transaction_limit,
    velocity_limits: [],
    balance_monitors: [],
    version: 0,
  };

/** What the controls judge of an account: its effective controls, tallies and credit. */
export const controlledStateOf = (account: CreditAccount, program: ProgramControls): ControlledAccountState => {
  const stored = storedControlsOf(account);
  return {
    controls: effectiveControls(stored, program),
    controls_version: stored.version,
    usage: account.controlled?.usage ?? noUsage,
    available: account.available,
  };
};

/** An account never seen: open, in the request's currency, with room for the amount. */
const unseen = (request: AuthorizationRequest): CreditAccount => ({
  user_id: request.user_id,
  available: request.amount,
  pending: 0,
  version: 0,
  status: 'ACTIVE',
  currency: request.currency ?? 'USD',
  per_transaction_limit: null,
});

const spendOf = (request: AuthorizationRequest, deadline: Date | null): Spend => ({
  amount: request.amount,
  count: 1,
  currency: request.currency,
  deadline,
});

const countedStart = (step: CalendarStep | undefined): number | undefined =>
  step === undefined ? undefined : step.kind === 'open' ? step.set.start : step.start;
const countedHour = (step: RollingStep | undefined): number | undefined =>
  step === undefined ? undefined : step.kind === 'open' ? step.set.hour : step.hour;

/** Which windows a hold counted in: what its release must give back. */
const countedWindows = (steps: WindowSteps): AccountOperationStamp['w'] => {
  const counted = {
    ...(countedStart(steps.daily) !== undefined ? { d: countedStart(steps.daily) } : {}),
    ...(countedStart(steps.weekly) !== undefined ? { w: countedStart(steps.weekly) } : {}),
    ...(countedStart(steps.monthly) !== undefined ? { m: countedStart(steps.monthly) } : {}),
    ...(countedHour(steps.rolling_24h) !== undefined ? { h: countedHour(steps.rolling_24h) } : {}),
    ...(steps.lifetime !== undefined ? { l: 0 as const } : {}),
  };
  return Object.keys(counted).length === 0 ? undefined : counted;
};

/**
 * Plans the hold, or names its refusal from the account as last seen. A refusal from an image
 * that is not the store's own at this instant (a cached one, or none) is only a hint: the
 * caller confirms it from a fresh image before answering it.
 */
export const planControlledHold = (input: ControlledHoldInput): ControlledHold => {
  const { request, now } = input;
  const { amount } = request;
  if (!Number.isSafeInteger(amount) || amount <= 0) return { kind: 'invalid-amount' };
  const state = controlledStateOf(input.account ?? unseen(request), input.program);
  const planned = planSpend(state, spendOf(request, input.deadline), now);
  if (planned.verdict === 'REJECT') return { kind: 'reject', reason: planned.reason, detail: planned.detail };
  const { controls_version, available_at_least, ...windows } = planned.plan;
  const counted = countedWindows(windows);
  return {
    kind: 'hold',
    plan: {
      user_id: request.user_id,
      // In precedence order of the refusals they stand for (see evaluateSpend).
      requires: [
        { kind: 'exists' },
        { kind: 'setting-equals', setting: 'status', value: 'ACTIVE' },
        ...(request.currency !== undefined
          ? [{ kind: 'setting-equals', setting: 'currency', value: request.currency } as const]
          : []),
        { kind: 'limit-at-least', limit: 'per_transaction_limit', value: amount },
        { kind: 'controls-version', value: controls_version },
        { kind: 'figure-at-least', figure: 'available', value: available_at_least },
      ],
      deltas: { available: -amount, pending: amount },
      ...(Object.keys(windows).length > 0 ? { windows } : {}),
      stamp: { ...input.stamp, kind: 'HOLD', amount, ...(counted !== undefined ? { w: counted } : {}) },
    },
  };
};

/**
 * The REJECT an account image names for a request, with its machine-readable detail; null when
 * the image would permit it (it moved since: plan again from it).
 */
export const controlledRejection = (
  request: AuthorizationRequest,
  account: CreditAccount,
  program: ProgramControls,
  deadline: Date | null,
  now: Date,
): Decision | null => {
  const verdict = evaluateSpend(controlledStateOf(account, program), spendOf(request, deadline), now);
  if (verdict.verdict === 'PERMIT') return null;
  return {
    transaction_id: request.transaction_id,
    user_id: request.user_id,
    amount: request.amount,
    ...(request.currency !== undefined ? { currency: request.currency } : {}),
    status: 'REJECTED',
    reason: verdict.reason,
    remaining_credit: Math.max(account.available, 0),
    decided_at: now.toISOString(),
    detail: verdict.detail,
  };
};

const lessOne = (values: readonly number[], index: number, by: number): number[] =>
  values.map((value, at) => (at === index ? Math.max(value - by, 0) : value));

/**
 * The usage a released hold gives back: to each window it counted in that is still the stored
 * one (a window that has rolled since no longer counts it). Each step pins the window it takes
 * from, so the release is planned from the item as read and fails, to be planned again, if a
 * window rolls meanwhile.
 */
const giveBack = (
  stamp: Pick<AccountOperationStamp, 'amount' | 'w'>,
  account: CreditAccount | null,
): WindowSteps | undefined => {
  const counted = stamp.w;
  const usage = account?.controlled?.usage;
  if (counted === undefined || usage === undefined) return undefined;
  const back = { amount: -stamp.amount, count: -1 };
  const steps: { -readonly [K in keyof WindowSteps]: WindowSteps[K] } = {};
  const code = { daily: 'd', weekly: 'w', monthly: 'm' } as const;
  for (const interval of calendarIntervals) {
    const start = counted[code[interval]];
    const stored = usage[interval];
    if (start !== undefined && stored !== null && stored.start === start) {
      steps[interval] = { kind: 'accumulate', start, add: back };
    }
  }
  const rolling = usage.rolling_24h;
  if (counted.h !== undefined && rolling !== null) {
    if (rolling.hour === counted.h) {
      steps.rolling_24h = { kind: 'accumulate', hour: rolling.hour, add: back };
    } else {
      const index = counted.h - (rolling.hour - ROLLING_CLOSED_BUCKETS);
      if (index >= 0 && index < ROLLING_CLOSED_BUCKETS) {
        steps.rolling_24h = {
          kind: 'amend',
          hour: rolling.hour,
          past_amounts: lessOne(rolling.past_amounts, index, stamp.amount),
          past_counts: lessOne(rolling.past_counts, index, 1),
        };
      }
    }
  }
  if (counted.l !== undefined) steps.lifetime = { add: back };
  return Object.keys(steps).length === 0 ? undefined : steps;
};

/**
 * Gives back a hold no decision owns (the journal's compensation): its credit, and its usage to
 * the windows that still count it. Planned from the account as read just before (`account`).
 */
export const planControlledRelease = (
  userId: string,
  hold: Pick<AccountOperationStamp, 'key' | 'attempt' | 'amount' | 'w'>,
  at: string,
  account: CreditAccount | null,
): AccountOperationPlan => {
  const windows = giveBack(hold, account);
  return {
    user_id: userId,
    requires: [{ kind: 'exists' }],
    deltas: { available: hold.amount, pending: -hold.amount },
    ...(windows !== undefined ? { windows } : {}),
    stamp: { key: hold.key, attempt: hold.attempt, kind: 'RELEASE', amount: hold.amount, at },
  };
};
