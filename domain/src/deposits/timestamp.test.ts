import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDepositTimestamp } from './timestamp.js';

const iso = (text: string): string | null => {
  const parsed = parseDepositTimestamp(text);
  return parsed.ok ? new Date(parsed.value).toISOString() : null;
};

describe('parseDepositTimestamp', () => {
  it.each<[string, string]>([
    ['2026-01-15T10:00:00Z', '2026-01-15T10:00:00.000Z'],
    ['2026-01-15T10:00Z', '2026-01-15T10:00:00.000Z'],
    ['2026-01-15T10:00:00.5Z', '2026-01-15T10:00:00.500Z'],
    ['2026-01-15T10:00:00.123456789Z', '2026-01-15T10:00:00.123Z'],
    ['2026-01-15T10:00:00+02:00', '2026-01-15T08:00:00.000Z'],
    ['2026-01-15T00:30:00-05:30', '2026-01-15T06:00:00.000Z'],
    ['2026-01-01T01:00:00+02:00', '2025-12-31T23:00:00.000Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    // A date alone names a bank value date: midnight UTC.
    ['2026-01-15', '2026-01-15T00:00:00.000Z'],
    ['0050-06-01', '0050-06-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, expected) => {
    // Act / Assess
    expect(iso(text)).toBe(expected);
  });

  it.each<[string, string]>([
    ['2026-01-15T10:00:00', 'has no time zone'],
    ['2026-01-15T10:00', 'has no time zone'],
    ['2026-02-30T10:00:00Z', 'is not a calendar date'],
    ['2025-02-29', 'is not a calendar date'],
    ['1900-02-29T00:00:00Z', 'is not a calendar date'],
    ['2026-13-01T00:00:00Z', 'is not a calendar date'],
    ['2026-00-10T00:00:00Z', 'is not a calendar date'],
    ['2026-04-31', 'is not a calendar date'],
    ['2026-01-00', 'is not a calendar date'],
    ['2026-01-15T24:00:00Z', 'is not a time of day'],
    ['2026-01-15T10:60:00Z', 'is not a time of day'],
    ['2026-01-15T10:00:60Z', 'is not a time of day'],
    ['2026-01-15T10:00:00+24:00', 'has an impossible offset'],
    ['2026-01-15T10:00:00+02:60', 'has an impossible offset'],
    ['0000-01-01T00:00:00+01:00', 'falls outside years 0000-9999'],
    ['9999-12-31T23:00:00-01:00', 'falls outside years 0000-9999'],
    ['2026-01-15T10:00:00+0200', 'is not an ISO-8601 date-time'],
    ['15/01/2026', 'is not an ISO-8601 date-time'],
    ['2026-01-15 10:00:00Z', 'is not an ISO-8601 date-time'],
    ['1768471200', 'is not an ISO-8601 date-time'],
    ['', 'is not an ISO-8601 date-time'],
  ])('refuses %s: %s', (text, reason) => {
    // Act
    const parsed = parseDepositTimestamp(text);

    // Assess
    expect(parsed.ok ? '' : parsed.error).toContain(reason);
  });

  it('agrees with Date on every instant of years 1970-9999 written in UTC or with an offset', () => {
    const instants = fc.integer({ min: 0, max: 253_402_300_799_999 - 86_400_000 });
    const offsets = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });
    fc.assert(
      fc.property(instants, offsets, (ms, offsetMinutes) => {
        // Prepare: write the instant as local time at that offset.
        const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;

        // Act
        const parsed = parseDepositTimestamp(`${local}${zone}`);

        // Assess
        expect(parsed).toEqual({ ok: true, value: ms });
      }),
    );
  });
});
