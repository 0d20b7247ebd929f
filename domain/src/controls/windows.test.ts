import { describe, expect, it } from 'vitest';
import { calendarIndex, calendarWindowStart, hourIndex, windowResetsAt, type CalendarInterval } from './windows.js';

const at = (iso: string) => new Date(iso);

describe('UTC windows', () => {
  it.each<[CalendarInterval, string, string, boolean]>([
    // [interval, a, b, same window]
    ['daily', '2026-12-01T00:00:00.000Z', '2026-12-01T23:59:59.999Z', true],
    ['daily', '2026-12-01T23:59:59.999Z', '2026-12-02T00:00:00.000Z', false],
    ['daily', '2026-12-01T23:30:00.000-05:00', '2026-12-02T04:30:00.000Z', true], // offsets are read as UTC instants
    ['weekly', '2026-11-30T00:00:00.000Z', '2026-12-06T23:59:59.999Z', true], // Monday .. Sunday
    ['weekly', '2026-11-29T23:59:59.999Z', '2026-11-30T00:00:00.000Z', false], // Sunday night -> Monday
    ['weekly', '1970-01-04T23:59:59.999Z', '1970-01-05T00:00:00.000Z', false], // the first Monday after the epoch
    ['weekly', '1970-01-01T00:00:00.000Z', '1969-12-29T00:00:00.000Z', true], // the epoch's week began on a Monday in 1969
    ['monthly', '2026-11-01T00:00:00.000Z', '2026-11-30T23:59:59.999Z', true],
    ['monthly', '2026-11-30T23:59:59.999Z', '2026-12-01T00:00:00.000Z', false],
    ['monthly', '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', false], // year boundary
    ['monthly', '2028-02-29T12:00:00.000Z', '2028-02-01T00:00:00.000Z', true], // leap day
  ])('%s: %s and %s in the same window: %s', (interval, a, b, same) => {
    expect(calendarIndex(interval, at(a)) === calendarIndex(interval, at(b))).toBe(same);
  });

  it.each<[CalendarInterval, string, string]>([
    ['daily', '2026-12-01T17:45:12.345Z', '2026-12-01T00:00:00.000Z'],
    ['weekly', '2026-12-01T17:45:12.345Z', '2026-11-30T00:00:00.000Z'],
    ['weekly', '2026-12-06T23:59:59.999Z', '2026-11-30T00:00:00.000Z'],
    ['weekly', '1970-01-01T00:00:00.000Z', '1969-12-29T00:00:00.000Z'],
    ['monthly', '2026-12-31T23:59:59.999Z', '2026-12-01T00:00:00.000Z'],
    ['monthly', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ])('%s window of %s starts at %s', (interval, instant, start) => {
    expect(calendarWindowStart(interval, calendarIndex(interval, at(instant))).toISOString()).toBe(start);
  });

  it('says when a calendar window resets, and that rolling and lifetime windows do not', () => {
    const now = at('2026-12-01T17:45:00.000Z');
    expect(windowResetsAt('daily', now)?.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(windowResetsAt('weekly', now)?.toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(windowResetsAt('monthly', now)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(windowResetsAt('rolling_24h', now)).toBeNull();
    expect(windowResetsAt('lifetime', now)).toBeNull();
  });

  it('numbers hours from the epoch', () => {
    expect(hourIndex(at('1970-01-01T00:59:59.999Z'))).toBe(0);
    expect(hourIndex(at('1970-01-01T01:00:00.000Z'))).toBe(1);
  });
});
