import { err, ok, type Result } from '../result.js';

/**
 * Accepted deposit timestamps (RFC 3339 profile of ISO 8601):
 * - `YYYY-MM-DDThh:mm[:ss[.fraction]]` followed by `Z` or a `±hh:mm` offset. A time without a
 *   zone is refused: whose midnight it is cannot be guessed, and a guess moves money between days.
 * - `YYYY-MM-DD` alone, read as midnight UTC: a bank value date names a day, not an instant.
 * Fractions beyond milliseconds are truncated (the stores keep milliseconds).
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2})))?$/;

const MS_PER_DAY = 86_400_000;

const isLeapYear = (year: number): boolean =>
  (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). Done by
 * hand because Date.UTC reads years 0-99 as 1900-1999.
 */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants a 4-digit ISO year can name. */
const EARLIEST_MS = daysFromCivil(0, 1, 1) * MS_PER_DAY;
const LATEST_MS = daysFromCivil(10_000, 1, 1) * MS_PER_DAY - 1;

/**
 * Reads a deposit timestamp into epoch milliseconds, or says why it cannot. Impossible dates
 * and times (2026-02-30, 24:00, offsets beyond ±23:59) are refused, never rolled over.
 */
export const parseDepositTimestamp = (text: string): Result<number, string> => {
  const match = TIMESTAMP.exec(text);
  if (match === null) {
    return err(
      /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)
        ? 'has no time zone (add Z or an offset such as +02:00)'
        : 'is not an ISO-8601 date-time (YYYY-MM-DDThh:mm:ssZ or ±hh:mm)',
    );
  }
  const [, y = '', mo = '', d = '', h, mi, s, fraction, offsetSign, offsetH, offsetM] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return err('is not a calendar date');
  if (h === undefined || mi === undefined) return ok(daysFromCivil(year, month, day) * MS_PER_DAY);
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = s === undefined ? 0 : Number(s);
  if (hours > 23 || minutes > 59 || seconds > 59) return err('is not a time of day');
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (offsetSign !== undefined) {
    const offHours = Number(offsetH);
    const offMinutes = Number(offsetM);
    if (offHours > 23 || offMinutes > 59) return err('has an impossible offset');
    offsetMinutes = (offsetSign === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const epochMs =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 +
    millis;
  if (epochMs < EARLIEST_MS || epochMs > LATEST_MS)
    return err('falls outside years 0000-9999 in UTC');
  return ok(epochMs);
};
