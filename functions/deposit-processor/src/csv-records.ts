import { parse, type CsvError, type Options } from 'csv-parse';
import { once } from 'node:events';

/**
 * One record of a CSV file, or the text where the parser could not read one. `line` is where the
 * record starts, `endLine` where it ends (later only when a quoted field holds a line break).
 * `raw` is the text as read, possibly with blank lines before it and its line end.
 */
export type CsvRecord =
  | {
      readonly kind: 'fields';
      readonly line: number;
      readonly endLine: number;
      readonly fields: readonly string[];
      readonly raw: string;
    }
  | {
      readonly kind: 'malformed';
      readonly line: number;
      readonly raw: string;
      readonly message: string;
    };

export interface CsvRecords {
  /** The records in file order, a chunk's worth at a time. */
  readonly records: AsyncIterable<readonly CsvRecord[]>;
  /**
   * Known once `records` is exhausted: the line from which the text was no longer read because
   * no record ended within `maxRecordChars` (a quote opened there never closes), else null.
   */
  abandonedAt(): number | null;
}

export interface CsvReadOptions {
  /** Characters a record may span before the rest of the file is given up (bounds memory). */
  readonly maxRecordChars?: number;
}

const MAX_MESSAGE_CHARS = 200;

/**
 * csv-parse as deposit files are read (see `readCsvRecords`). No `info`: csv-parse builds an
 * object per record for it, and the lines are counted from `raw` instead.
 */
export const depositCsvOptions = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  raw: true,
} as const satisfies Options;

/** A parser with the options deposit files are read with (the benchmark's floor uses it alone). */
export const createDepositCsvParser = (hooks: Pick<Options, 'on_skip'> = {}) =>
  parse({ ...depositCsvOptions, ...hooks });

interface ParsedRecord {
  readonly record: string[];
  readonly raw: string;
}

/** Line breaks in `text` from `start` to `end`: LF, or a lone CR (CRLF arrives as LF). */
const lineBreaks = (text: string, start = 0, end = text.length): number => {
  let count = 0;
  for (let at = start; at < end; at += 1) {
    const code = text.charCodeAt(at);
    if (code === 10 || code === 13) count += 1;
  }
  return count;
};

/** Blank lines before a record: the line breaks its raw text starts with. */
const leadingBreaks = (raw: string): number => {
  let at = 0;
  while (at < raw.length && (raw.charCodeAt(at) === 10 || raw.charCodeAt(at) === 13)) at += 1;
  return at;
};

const endsWithBreak = (raw: string): boolean => raw.endsWith('\n') || raw.endsWith('\r');

/**
 * Reads CSV records from text with csv-parse: a BOM at the start is dropped, empty lines are
 * skipped, a record may have any number of fields (the caller judges that per row). A quote
 * inside an unquoted field, or text after a closing quote, is kept as part of the value
 * (relax_quotes) for the row rules to refuse: csv-parse's own recovery from those errors would
 * swallow the good rows that follow. A record the parser still cannot read (a quote left open to
 * the end) is reported rather than ending the file.
 *
 * The parser is driven chunk by chunk and its records taken synchronously, a chunk's worth per
 * step: one await per chunk rather than several per record. Lines are counted from each
 * record's raw text (which holds the blank lines before it and its own line end), so every
 * record knows the line it starts on (the first is 1).
 */
export const readCsvRecords = (
  text: AsyncIterable<string>,
  options: CsvReadOptions = {},
): CsvRecords => {
  const maxRecordChars = options.maxRecordChars ?? 1024 * 1024;
  let abandonedAt: number | null = null;
  let nextLine = 1;
  let failure: Error | null = null;
  const skipped: CsvRecord[] = [];
  const parser = createDepositCsvParser({
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      const text = raw ?? '';
      const line = nextLine + leadingBreaks(text);
      const endLine =
        line + lineBreaks(text, leadingBreaks(text), text.length - (endsWithBreak(text) ? 1 : 0));
      nextLine += lineBreaks(text);
      const reason =
        error?.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a quoted field opened on this line is never closed; lines ${line}-${endLine} could not be read as rows`
          : (error?.message ?? 'the CSV parser could not read this record');
      skipped.push({
        kind: 'malformed',
        line,
        raw: text,
        message: `line ${line}: ${reason.length > MAX_MESSAGE_CHARS ? `${reason.slice(0, MAX_MESSAGE_CHARS - 3)}...` : reason}`,
      });
      return undefined;
    },
  });
  parser.on('error', (error: Error) => {
    failure = error;
  });

  /** Every record the parser has produced so far, in file order. */
  const take = (): CsvRecord[] => {
    const records: CsvRecord[] = [];
    for (
      let parsed = parser.read() as ParsedRecord | null;
      parsed !== null;
      parsed = parser.read() as ParsedRecord | null
    ) {
      const { record, raw } = parsed;
      const skippedBefore = leadingBreaks(raw);
      const line = nextLine + skippedBefore;
      const endLine =
        line + lineBreaks(raw, skippedBefore, raw.length - (endsWithBreak(raw) ? 1 : 0));
      nextLine += lineBreaks(raw);
      records.push({ kind: 'fields', line, endLine, fields: record, raw });
    }
    // A skipped record is reported when the parser gives it up, which is after the records
    // before it; with relax_quotes that happens only at the end of the text.
    if (skipped.length > 0) records.push(...skipped.splice(0));
    return records;
  };
  const throwIfFailed = (): void => {
    if (failure !== null) throw failure;
  };
  /** Waits for `event`, or throws the parser's error; leaves no listener behind. */
  const waitFor = async (event: 'drain' | 'finish'): Promise<void> => {
    const controller = new AbortController();
    try {
      await Promise.race([
        once(parser, event, { signal: controller.signal }),
        once(parser, 'error', { signal: controller.signal }),
      ]);
    } finally {
      controller.abort();
    }
  };

  async function* records(): AsyncGenerator<readonly CsvRecord[]> {
    let charsSinceRecord = 0;
    for await (const chunk of text) {
      parser.write(chunk);
      throwIfFailed();
      const records = take();
      charsSinceRecord = records.length > 0 ? 0 : charsSinceRecord + chunk.length;
      if (records.length > 0) yield records;
      if (charsSinceRecord > maxRecordChars) {
        abandonedAt = nextLine;
        break;
      }
      // Taking the records may have let the write finish and 'drain' fire already.
      if (parser.writableNeedDrain) await waitFor('drain');
    }
    parser.end();
    if (!parser.writableFinished) await waitFor('finish');
    throwIfFailed();
    const last = take();
    // After the text was given up, the parser reports the record it held open: it starts the loss.
    if (abandonedAt !== null && last[0]?.kind === 'malformed') abandonedAt = last[0].line;
    if (last.length > 0) yield last;
  }

  return { records: records(), abandonedAt: () => abandonedAt };
};
