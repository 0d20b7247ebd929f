/**
 * Why a deposit row is refused, in precedence order: a row is reported under the first reason
 * that applies, so a row missing its amount is MISSING_FIELD even if its user_id is also bad.
 * The in-file checks come last because only an otherwise valid row takes part in them.
 */
export const rowRejectionReasons = [
  'MISSING_FIELD',
  'INVALID_USER_ID',
  'INVALID_DEPOSIT_ID',
  'INVALID_AMOUNT',
  'NON_POSITIVE_AMOUNT',
  'AMOUNT_TOO_LARGE',
  'INVALID_TIMESTAMP',
  'FUTURE_TIMESTAMP',
  'DUPLICATE_IN_FILE',
  'CONFLICT_IN_FILE',
] as const;
export type RowRejectionReason = (typeof rowRejectionReasons)[number];

/** One line of `rejected/<file>.errors.csv`: the line number is the file's, header = line 1. */
export interface RowRejection {
  readonly line: number;
  readonly reason: RowRejectionReason;
  readonly message: string;
}
