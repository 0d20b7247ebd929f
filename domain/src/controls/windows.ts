import type { VelocityInterval } from './controls.js';

/**
 * UTC windows as small integers, so that the account item stores a window as one number and a
 * condition compares it for equality. A window never needs a scan to roll: the first spend in a
 * newer window replaces the stored one (see `commit-plan.ts`).
 *
 * - daily: days since 1970-01-01 (a day starts at 00:00:00.000 UTC);
 * - weekly: ISO weeks since the week of 1970-01-01 (a week starts Monday 00:00 UTC);
 * - monthly: months since January 1970 (a month starts on the 1st, 00:00 UTC);
 * - rolling_24h: hours since the epoch (the hour of the open bucket; see ROLLING_BUCKETS);
 * - lifetime: always 0.
 */
export type CalendarInterval = 'daily' | 'weekly' | 'monthly';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** 1970-01-01 was a Thursday: three days after the Monday that starts its ISO week. */
const EPOCH_WEEKDAY_OFFSET = 3;

/**
 * Rolling 24 hours counted in whole UTC hours: the open bucket (the current hour) and the 24
 * hours before it. The true window (t − 24 h, t] always lies inside those 25 buckets, so their
 * sum is at least the true rolling spend: the check is conservative, never lenient. It can
 * refuse at most the spend of the oldest bucket's part that is already out of the true window
 * (less than one hour's worth), and it never lets through a spend beyond the limit.
 */
export const ROLLING_CLOSED_BUCKETS = 24;

export const dayIndex = (at: Date): number => Math.floor(at.getTime() / DAY_MS);
export const hourIndex = (at: Date): number => Math.floor(at.getTime() / HOUR_MS);
export const weekIndex = (at: Date): number => Math.floor((dayIndex(at) + EPOCH_WEEKDAY_OFFSET) / 7);
export const monthIndex = (at: Date): number => (at.getUTCFullYear() - 1970) * 12 + at.getUTCMonth();

export const calendarIndex = (interval: CalendarInterval, at: Date): number => {
  switch (interval) {
    case 'daily':
      return dayIndex(at);
    case 'weekly':
      return weekIndex(at);
    case 'monthly':
      return monthIndex(at);
  }
};

/** When the window with this index starts (for messages, documentation and tests). */
export const calendarWindowStart = (interval: CalendarInterval, index: number): Date => {
  switch (interval) {
    case 'daily':
      return new Date(index * DAY_MS);
    case 'weekly':
      return new Date((index * 7 - EPOCH_WEEKDAY_OFFSET) * DAY_MS);
    case 'monthly':
      return new Date(Date.UTC(1970 + Math.floor(index / 12), index % 12, 1));
  }
};

/** When the window that holds `at` is over (the next one starts), or null for rolling/lifetime. */
export const windowResetsAt = (interval: VelocityInterval, at: Date): Date | null => {
  if (interval === 'rolling_24h' || interval === 'lifetime') return null;
  return calendarWindowStart(interval, calendarIndex(interval, at) + 1);
};
