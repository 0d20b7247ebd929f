import type { Cents } from '../money.js';
import { velocityIntervals, limitFor, type AccountControls, type VelocityInterval } from './controls.js';
import type { DeclineDetail } from './decline-detail.js';
import { usedIn, type VelocityUsage } from './usage.js';
import { windowResetsAt } from './windows.js';

/**
 * The refusals controls can give, in precedence order (after UNKNOWN_USER and INVALID_AMOUNT,
 * which `decide` judges before any account is looked at): the first that applies is reported.
 * The account's state comes before anything about the request; a late request is refused
 * before its amount is judged, so an expired retry never reveals a limit; funds come last.
 */
export const controlRejectReasons = [
  'ACCOUNT_SUSPENDED',
  'ACCOUNT_CLOSED',
  'CURRENCY_MISMATCH',
  'EXPIRED',
  'LIMIT_EXCEEDED',
  'VELOCITY_LIMIT_EXCEEDED',
  'INSUFFICIENT_FUNDS',
] as const;
export type ControlRejectReason = (typeof controlRejectReasons)[number];

/** A spend to judge: an authorization (count 1) or an increment of a hold (count 0). */
export interface Spend {
  readonly amount: Cents;
  readonly count: 0 | 1;
  readonly currency?: string | undefined;
  /** The request's deadline: the earlier of its `expires_at` and its event's time bound. */
  readonly deadline?: Date | null | undefined;
}

/** What the decision sees of the account item. */
export interface ControlledAccount {
  readonly controls: AccountControls;
  readonly usage: VelocityUsage;
  readonly available: Cents;
}

export type ControlsVerdict =
  | { readonly verdict: 'PERMIT' }
  | { readonly verdict: 'REJECT'; readonly reason: ControlRejectReason; readonly detail: DeclineDetail };

const reject = (reason: ControlRejectReason, detail: DeclineDetail): ControlsVerdict => ({ verdict: 'REJECT', reason, detail });

/** The first velocity limit (intervals in declaration order, amount before count) the spend breaks. */
const velocityBreach = (account: ControlledAccount, spend: Spend, now: Date): DeclineDetail | null => {
  for (const interval of velocityIntervals) {
    const limit = limitFor(account.controls, interval);
    if (limit === undefined) continue;
    const used = usedIn(account.usage, interval, now);
    const breach = (measure: 'amount' | 'count', max: number, usedValue: number, requested: number): DeclineDetail => ({
      control: 'velocity',
      interval,
      measure,
      limit: max,
      used: usedValue,
      remaining: Math.max(max - usedValue, 0),
      requested,
      ...resetsAt(interval, now),
    });
    if (limit.max_amount !== undefined && used.amount + spend.amount > limit.max_amount) {
      return breach('amount', limit.max_amount, used.amount, spend.amount);
    }
    if (limit.max_count !== undefined && spend.count > 0 && used.count + spend.count > limit.max_count) {
      return breach('count', limit.max_count, used.count, spend.count);
    }
  }
  return null;
};

const resetsAt = (interval: VelocityInterval, now: Date): { resets_at?: string } => {
  const at = windowResetsAt(interval, now);
  return at === null ? {} : { resets_at: at.toISOString() };
};

/**
 * Judges a spend against the account's controls, its windows as last seen and its credit.
 * Pure: `now` is the decision time, which also picks the windows.
 */
export const evaluateSpend = (account: ControlledAccount, spend: Spend, now: Date): ControlsVerdict => {
  const { controls } = account;
  if (controls.status === 'SUSPENDED') return reject('ACCOUNT_SUSPENDED', { control: 'status', status: 'SUSPENDED' });
  if (controls.status === 'CLOSED') return reject('ACCOUNT_CLOSED', { control: 'status', status: 'CLOSED' });
  if (spend.currency !== undefined && spend.currency !== controls.currency) {
    return reject('CURRENCY_MISMATCH', { control: 'currency', currency: controls.currency, requested: spend.currency });
  }
  if (spend.deadline != null && now.getTime() > spend.deadline.getTime()) {
    return reject('EXPIRED', { control: 'deadline', deadline: spend.deadline.toISOString(), decided_at: now.toISOString() });
  }
  if (controls.max_per_transaction !== null && spend.amount > controls.max_per_transaction) {
    return reject('LIMIT_EXCEEDED', { control: 'max_per_transaction', limit: controls.max_per_transaction, requested: spend.amount });
  }
  const velocity = velocityBreach(account, spend, now);
  if (velocity !== null) return reject('VELOCITY_LIMIT_EXCEEDED', velocity);
  if (spend.amount > account.available) {
    return reject('INSUFFICIENT_FUNDS', { control: 'available', requested: spend.amount, remaining: Math.max(account.available, 0) });
  }
  return { verdict: 'PERMIT' };
};
