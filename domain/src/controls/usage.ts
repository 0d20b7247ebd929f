import type { Cents } from '../money.js';
import type { VelocityInterval } from './controls.js';
import { calendarIndex, hourIndex, ROLLING_CLOSED_BUCKETS, type CalendarInterval } from './windows.js';

/** Spend in one window: the amount and the number of permitted authorizations. */
export interface WindowTally {
  readonly amount: Cents;
  readonly count: number;
}

/** A calendar window as the account item stores it: which window, and its tally. */
export interface CalendarUsage extends WindowTally {
  readonly start: number;
}

/**
 * Rolling 24 h as the account item stores it: the open bucket (`hour`, `amount`, `count`) and
 * the 24 closed hours before it, oldest first (`past_amounts[i]` is hour `hour − 24 + i`). The
 * closed buckets change only when the open hour moves, so `hour` alone pins all 24 of them in a
 * condition. 25 small numbers per list keep the item well under 1 KB.
 */
export interface RollingUsage extends WindowTally {
  readonly hour: number;
  readonly past_amounts: readonly Cents[];
  readonly past_counts: readonly number[];
}

/**
 * The account's spend per window, as last seen on its item. Every window is kept whether or
 * not a limit uses it, so a limit set mid-window counts what was spent earlier in that window.
 * `null`: nothing recorded yet.
 */
export interface VelocityUsage {
  readonly daily: CalendarUsage | null;
  readonly weekly: CalendarUsage | null;
  readonly monthly: CalendarUsage | null;
  readonly rolling_24h: RollingUsage | null;
  readonly lifetime: WindowTally | null;
}

export const noUsage: VelocityUsage = { daily: null, weekly: null, monthly: null, rolling_24h: null, lifetime: null };

export const calendarIntervals: readonly CalendarInterval[] = ['daily', 'weekly', 'monthly'];

const zeros = (): number[] => Array.from({ length: ROLLING_CLOSED_BUCKETS }, () => 0);

/**
 * The calendar window a spend at `now` counts in, given what is stored. Normally the window of
 * `now`; when the stored window is newer (a decision whose clock read the last instant of the
 * old day commits after another already opened the new one), the spend counts in the stored,
 * newer window. Either way each spend counts in exactly one window, and that window's limit
 * holds: attributing it later never lets a window exceed its limit.
 */
export const effectiveCalendar = (stored: CalendarUsage | null, index: number): CalendarUsage & { readonly rolled: boolean } =>
  stored !== null && stored.start >= index
    ? { ...stored, rolled: false }
    : { start: index, amount: 0, count: 0, rolled: true };

/** The rolling state at hour `hour` (or the stored hour if newer): closed buckets shifted. */
export const effectiveRolling = (stored: RollingUsage | null, hour: number): RollingUsage & { readonly rolled: boolean } => {
  if (stored === null) return { hour, amount: 0, count: 0, past_amounts: zeros(), past_counts: zeros(), rolled: true };
  if (stored.hour >= hour) return { ...stored, rolled: false };
  const amounts = zeros();
  const counts = zeros();
  for (let index = 0; index < ROLLING_CLOSED_BUCKETS; index += 1) {
    const bucketHour = hour - ROLLING_CLOSED_BUCKETS + index;
    if (bucketHour === stored.hour) {
      amounts[index] = stored.amount;
      counts[index] = stored.count;
    } else {
      const storedIndex = bucketHour - (stored.hour - ROLLING_CLOSED_BUCKETS);
      if (storedIndex >= 0 && storedIndex < ROLLING_CLOSED_BUCKETS) {
        amounts[index] = stored.past_amounts[storedIndex] ?? 0;
        counts[index] = stored.past_counts[storedIndex] ?? 0;
      }
    }
  }
  return { hour, amount: 0, count: 0, past_amounts: amounts, past_counts: counts, rolled: true };
};

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/** What the closed buckets hold: fixed for as long as the open hour does not move. */
export const rollingPast = (rolling: RollingUsage): WindowTally => ({
  amount: sum(rolling.past_amounts),
  count: sum(rolling.past_counts),
});

/** The spend that counts against a limit of `interval` for a decision at `now`. */
export const usedIn = (usage: VelocityUsage, interval: VelocityInterval, now: Date): WindowTally => {
  switch (interval) {
    case 'daily':
    case 'weekly':
    case 'monthly': {
      const { amount, count } = effectiveCalendar(usage[interval], calendarIndex(interval, now));
      return { amount, count };
    }
    case 'rolling_24h': {
      const rolling = effectiveRolling(usage.rolling_24h, hourIndex(now));
      const past = rollingPast(rolling);
      return { amount: past.amount + rolling.amount, count: past.count + rolling.count };
    }
    case 'lifetime':
      return usage.lifetime ?? { amount: 0, count: 0 };
  }
};
