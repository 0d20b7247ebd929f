import { err, type Result } from '../result.js';
import type { DepositHeader } from './header.js';
import { createInFileDedup } from './in-file-dedup.js';
import type { RowRejection } from './rejection.js';
import { validateDepositRow, type DepositRow, type DepositRowRules } from './row.js';

/** Every rule a deposit row goes through, per-row and in-file, for one file. */
export interface DepositFileValidator {
  validate(fields: readonly string[], line: number): Result<DepositRow, RowRejection>;
}

/**
 * Validates the rows of one file in order. Only a row that passes the per-row rules takes part
 * in the in-file checks: a malformed row must not claim a deposit_id and make the good row that
 * follows look like a conflict.
 */
export const createDepositFileValidator = (
  header: DepositHeader,
  rules: DepositRowRules,
): DepositFileValidator => {
  const dedup = createInFileDedup();
  return {
    validate(fields, line) {
      const row = validateDepositRow(fields, header, line, rules);
      if (!row.ok) return row;
      const repeat = dedup.check(row.value);
      return repeat === null ? row : err(repeat);
    },
  };
};
