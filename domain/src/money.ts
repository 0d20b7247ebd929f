import { excerpt } from './excerpt.js';
import { err, ok, type Result } from './result.js';

/**
 * Money is an integer count of minor units (cents). Inputs are decimal strings or JSON numbers
 * with at most two decimals; they are converted digit by digit, never through float arithmetic.
 */
export type Cents = number;

export type MoneyErrorCode =
  'EMPTY' | 'INVALID_FORMAT' | 'TOO_MANY_DECIMALS' | 'NEGATIVE' | 'ZERO' | 'OUT_OF_RANGE';

export interface MoneyError {
  readonly code: MoneyErrorCode;
  readonly message: string;
}

export interface ParseMoneyOptions {
  /** Largest accepted amount in cents (inclusive). */
  readonly maxCents?: Cents;
  /** Accept a leading minus sign (never for deposits or transaction amounts). */
  readonly allowNegative?: boolean;
  /** Accept zero. */
  readonly allowZero?: boolean;
}

/** 1,000,000,000.00: far above any deposit or transaction creditline is built for. */
export const DEFAULT_MAX_CENTS: Cents = 100_000_000_000;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

const fail = (code: MoneyErrorCode, message: string): Result<Cents, MoneyError> =>
  err({ code, message });

/**
 * Parses "12", "12.3", "12.34", 12.34 into cents. Rejects exponents, thousands separators,
 * a plus sign, NaN/Infinity, more than two decimals, and values beyond `maxCents`.
 */
export const parseMoney = (
  input: unknown,
  options: ParseMoneyOptions = {},
): Result<Cents, MoneyError> => {
  const { maxCents = DEFAULT_MAX_CENTS, allowNegative = false, allowZero = false } = options;
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail('INVALID_FORMAT', 'amount must be a finite number');
    // String(n) is the shortest decimal that round-trips: 12.34 -> "12.34", 1e21 -> "1e+21".
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return fail('INVALID_FORMAT', 'amount must be a decimal string or a number');
  }
  if (text === '') return fail('EMPTY', 'amount is empty');
  const quoted = excerpt(text);
  const match = DECIMAL.exec(text);
  if (!match) return fail('INVALID_FORMAT', `amount "${quoted}" is not a plain decimal number`);
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > 2)
    return fail('TOO_MANY_DECIMALS', `amount "${quoted}" has more than 2 decimals`);
  // Bound the digits before converting so the integer below is always exact.
  const digits = (whole + fraction.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  // The sign is judged before the size so "-99999999999999999" reads as negative, not as too large.
  if (sign === '-' && digits !== '0' && !allowNegative)
    return fail('NEGATIVE', `amount "${quoted}" is negative`);
  if (digits.length > 15) return fail('OUT_OF_RANGE', `amount "${quoted}" is too large`);
  const magnitude = Number(digits);
  if (magnitude === 0 && !allowZero) return fail('ZERO', 'amount must be greater than zero');
  if (magnitude > maxCents)
    return fail('OUT_OF_RANGE', `amount "${quoted}" exceeds the maximum ${formatMoney(maxCents)}`);
  return ok(sign === '-' && magnitude !== 0 ? -magnitude : magnitude);
};

/** Formats cents as a decimal string with two decimals: 1234 -> "12.34", -5 -> "-0.05". */
export const formatMoney = (cents: Cents): string => {
  if (!Number.isSafeInteger(cents))
    throw new RangeError(`not an integer amount of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

/** Adds cents, refusing to leave the range where integer arithmetic on numbers is exact. */
export const addCents = (a: Cents, b: Cents): Cents => {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError('amount overflow');
  return sum;
};
