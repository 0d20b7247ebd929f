import { csvCell } from '@creditline/adapters/csv/csv-cell';
import type {
  HeaderProblemReason,
  ObjectLocation,
  ObjectUpload,
  ObjectWriter,
  RowRejectionReason,
  RowShapeReason,
} from '@creditline/domain';

/**
 * Why a line is in `rejected/<file>.errors.csv`: the row rules' reasons, the row's shape, a
 * deposit_id already credited with another user or amount, and the file-level problems (a bad
 * header, not CSV, not UTF-8), each on the line where it was found.
 */
export type ErrorsFileReason =
  | RowRejectionReason
  | RowShapeReason
  | HeaderProblemReason
  | 'CONFLICT_WITH_CREDITED'
  | 'NOT_CSV'
  | 'NOT_UTF8';

export interface ErrorsFileEntry {
  readonly line: number;
  /** The row as it was written in the file. */
  readonly raw: string;
  readonly reason: ErrorsFileReason;
  readonly message: string;
}

export interface ErrorsReport {
  add(entry: ErrorsFileEntry): Promise<void>;
  /** Completes the file and returns its key; with no entries, removes an earlier upload's file and returns null. */
  finish(): Promise<string | null>;
  /** Discards what was written (the file is processed again after a failure). */
  abort(): Promise<void>;
}

export const ERRORS_FILE_HEADER = 'line,row,reason,message\n';

/** Pieces of the report are written once this much text has gathered. */
const FLUSH_CHARS = 64 * 1024;
const MAX_RAW_CHARS = 4096;

/** The row as the file has it, without the blank lines before it or its line end; a huge one cut short. */
const shownRow = (raw: string): string => {
  const row = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return row.length > MAX_RAW_CHARS ? `${row.slice(0, MAX_RAW_CHARS - 3)}...` : row;
};

/** The row and the message quote partner text: both are neutralised (see `csvCell`). */
export const errorsFileLine = (entry: ErrorsFileEntry): string =>
  `${entry.line},${csvCell(shownRow(entry.raw))},${entry.reason},${csvCell(entry.message)}\n`;

/**
 * `rejected/<file>.errors.csv`, written as a stream: lines gather into pieces of 64 KiB that go to
 * an upload opened with the first, so a file of 150,000 bad rows is never held whole. A file
 * with nothing refused gets no errors file, and an earlier upload's one is removed so what is in
 * `rejected/` always describes the latest upload.
 */
export const createErrorsReport = (
  writer: ObjectWriter,
  location: ObjectLocation,
): ErrorsReport => {
  let upload: ObjectUpload | null = null;
  let pending = '';
  let entries = 0;

  const flush = async (): Promise<void> => {
    upload ??= writer.open(location, 'text/csv; charset=utf-8');
    const piece = pending;
    pending = '';
    await upload.write(piece);
  };

  return {
    async add(entry) {
      if (entries === 0) pending = ERRORS_FILE_HEADER;
      entries += 1;
      pending += errorsFileLine(entry);
      if (pending.length >= FLUSH_CHARS) await flush();
    },
    async finish() {
      if (entries === 0) {
        await writer.remove(location);
        return null;
      }
      await flush();
      await upload?.complete();
      return location.key;
    },
    async abort() {
      pending = '';
      await upload?.abort();
    },
  };
};
