import { depositColumns, headerWidth, mapHeader, type DepositHeader } from '@creditline/domain';
import type { CsvRecord } from './csv-records.js';
import type { FileProblem } from './deposit-file-tally.js';
import type { ErrorsFileEntry } from './errors-report.js';

export type HeaderReading =
  | { readonly ok: true; readonly header: DepositHeader; readonly width: number }
  | { readonly ok: false; readonly problem: FileProblem; readonly entry: ErrorsFileEntry };

/**
 * The first record decides whether the file can be read at all: a record the CSV parser cannot
 * read, or a line without a single comma, is not CSV; a header without the deposit columns (or
 * naming one twice) cannot be mapped.
 */
export const readDepositFileHeader = (record: CsvRecord): HeaderReading => {
  if (record.kind === 'malformed' || record.fields.length < 2) {
    const message = `line ${record.line}: not a comma-separated file; the first line must name the columns ${depositColumns.join(',')}`;
    return {
      ok: false,
      problem: { status: 'NOT_CSV', message, line: record.line },
      entry: { line: record.line, raw: record.raw, reason: 'NOT_CSV', message },
    };
  }
  const header = mapHeader(record.fields);
  if (header.ok) return { ok: true, header: header.value, width: headerWidth(record.fields) };
  const message = `line ${record.line}: ${header.error.message}`;
  return {
    ok: false,
    problem: { status: 'BAD_HEADER', message, line: record.line },
    entry: { line: record.line, raw: record.raw, reason: header.error.reason, message },
  };
};
