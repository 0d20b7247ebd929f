import {
  checkRowShape,
  createDepositFileValidator,
  type DepositCredit,
  type DepositHeader,
  type DepositRowRules,
} from '@creditline/domain';
import type { CsvRecord } from './csv-records.js';
import type { ErrorsFileEntry } from './errors-report.js';

/** What becomes of one record after the header. */
export type RowVerdict =
  | { readonly kind: 'accepted'; readonly credit: DepositCredit }
  /** Repeats an earlier row of the file exactly: harmless, listed in the errors file, not refused. */
  | { readonly kind: 'duplicate'; readonly entry: ErrorsFileEntry }
  | { readonly kind: 'refused'; readonly entry: ErrorsFileEntry };

export interface DepositRowJudge {
  judge(record: CsvRecord): RowVerdict;
}

/**
 * Judges the rows of one file in order, the first problem found being the one reported: a record
 * the parser could not read, one spanning lines (no deposit value holds a line break), one whose
 * fields do not line up with the header, then the domain's row rules and in-file checks.
 */
export const createDepositRowJudge = (
  header: DepositHeader,
  width: number,
  rules: DepositRowRules,
  sourceKey: string,
): DepositRowJudge => {
  const validator = createDepositFileValidator(header, rules);
  return {
    judge(record) {
      const { line, raw } = record;
      if (record.kind === 'malformed')
        return {
          kind: 'refused',
          entry: { line, raw, reason: 'MALFORMED_ROW', message: record.message },
        };
      if (record.endLine > line) {
        const message = `line ${line}: a quoted field runs on to line ${record.endLine} (is a quote left open?); no deposit value holds a line break`;
        return { kind: 'refused', entry: { line, raw, reason: 'MALFORMED_ROW', message } };
      }
      const shape = checkRowShape(record.fields, width, line);
      if (shape !== null) return { kind: 'refused', entry: { ...shape, raw } };
      const row = validator.validate(record.fields, line);
      if (!row.ok)
        return {
          kind: row.error.reason === 'DUPLICATE_IN_FILE' ? 'duplicate' : 'refused',
          entry: { ...row.error, raw },
        };
      const { deposit_id, user_id, amount, timestamp } = row.value;
      return {
        kind: 'accepted',
        credit: {
          deposit_id,
          user_id,
          amount,
          deposited_at: timestamp,
          source_key: sourceKey,
          source_line: line,
        },
      };
    },
  };
};
