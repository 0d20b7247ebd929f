import { identifierSchema, isIdentifier } from '../contracts/identifiers.js';
import { excerpt } from '../excerpt.js';
import { DEFAULT_MAX_CENTS, parseMoney, type Cents, type MoneyErrorCode } from '../money.js';
import { err, ok, type Result } from '../result.js';
import { depositColumns, type DepositColumn, type DepositHeader } from './header.js';
import type { RowRejection, RowRejectionReason } from './rejection.js';
import { parseDepositTimestamp } from './timestamp.js';

/** A deposit row that passed every per-row rule: ids checked, amount in cents, time in UTC. */
export interface DepositRow {
  readonly deposit_id: string;
  readonly user_id: string;
  readonly amount: Cents;
  /** ISO-8601 in UTC with milliseconds, e.g. 2026-01-15T10:00:00.000Z. */
  readonly timestamp: string;
  /** Line in the file (the header is line 1). */
  readonly line: number;
}

export interface DepositRowRules {
  /** The processing time: timestamps later than `now + maxFutureSkewMs` are refused. */
  readonly now: Date;
  /** Largest accepted deposit, in cents (default DEFAULT_MAX_CENTS). */
  readonly maxCents?: Cents;
  /** Clock skew tolerated between the partner and us (default 5 minutes). */
  readonly maxFutureSkewMs?: number;
}

export const DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60_000;

const amountReasons: Readonly<Record<MoneyErrorCode, RowRejectionReason>> = {
  EMPTY: 'MISSING_FIELD',
  INVALID_FORMAT: 'INVALID_AMOUNT',
  TOO_MANY_DECIMALS: 'INVALID_AMOUNT',
  NEGATIVE: 'NON_POSITIVE_AMOUNT',
  ZERO: 'NON_POSITIVE_AMOUNT',
  OUT_OF_RANGE: 'AMOUNT_TOO_LARGE',
};

/**
 * Applies the per-row rules to one CSV record (fields already unquoted by the CSV parser), in the
 * precedence order of `rowRejectionReasons`. Fields are trimmed, so a "\r" left by a CRLF line
 * ending or padding around a value does no harm. Fields beyond the header's are ignored.
 * In-file duplicates are not judged here: see `createInFileDedup`.
 */
export const validateDepositRow = (
  fields: readonly string[],
  header: DepositHeader,
  line: number,
  rules: DepositRowRules,
): Result<DepositRow, RowRejection> => {
  const reject = (reason: RowRejectionReason, message: string): Result<DepositRow, RowRejection> =>
    err({ line, reason, message: `line ${line}: ${message}` });
  const value = (column: DepositColumn): string => fields[header.index[column]]?.trim() ?? '';

  const user_id = value('user_id');
  const amountText = value('amount');
  const deposit_id = value('deposit_id');
  const timestampText = value('timestamp');
  if (user_id === '' || amountText === '' || deposit_id === '' || timestampText === '') {
    const missing = depositColumns.filter((column) => value(column) === '');
    return reject('MISSING_FIELD', `missing ${missing.join(', ')}`);
  }

  if (!isIdentifier(user_id)) {
    return reject('INVALID_USER_ID', `user_id ${identifierProblem(user_id)}`);
  }
  if (!isIdentifier(deposit_id)) {
    return reject('INVALID_DEPOSIT_ID', `deposit_id ${identifierProblem(deposit_id)}`);
  }

  const amount = parseMoney(amountText, { maxCents: rules.maxCents ?? DEFAULT_MAX_CENTS });
  if (!amount.ok) return reject(amountReasons[amount.error.code], amount.error.message);

  const time = parseDepositTimestamp(timestampText);
  if (!time.ok) {
    return reject('INVALID_TIMESTAMP', `timestamp "${excerpt(timestampText)}" ${time.error}`);
  }
  const latest = rules.now.getTime() + (rules.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS);
  const timestamp = new Date(time.value).toISOString();
  if (time.value > latest) {
    return reject(
      'FUTURE_TIMESTAMP',
      `timestamp ${timestamp} is later than ${new Date(latest).toISOString()}`,
    );
  }

  return ok({ deposit_id, user_id, amount: amount.value, timestamp, line });
};

/** Only a refused id pays for a zod parse, which words the reason exactly as the API would. */
const identifierProblem = (id: string): string => {
  const parsed = identifierSchema.safeParse(id);
  return `"${excerpt(id)}" ${parsed.error?.issues[0]?.message ?? 'is not a valid identifier'}`;
};

/**
 * A record with nothing in it: an empty line, or only commas and white space. Not a deposit and
 * not a faulty one either, so the caller can skip it rather than report MISSING_FIELD.
 */
export const isBlankRecord = (fields: readonly string[]): boolean =>
  fields.every((field) => field.trim() === '');
