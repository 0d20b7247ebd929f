import { parse, type CsvError } from 'csv-parse';
import { once } from 'node:events';

/** One record of a CSV file, as read, or the text where the parser could not read one. */
/**
 * `line` is where the record starts, `endLine` where it ends (later only when a quoted field holds
 * a line break). `raw` is the text as read, possibly with blank lines before it and its line end.
 */
export type CsvRecord =
  | {
      readonly kind: 'fields';
      readonly line: number;
      readonly endLine: number;
      readonly fields: readonly string[];
      readonly raw: string;
    }
  | { readonly kind: 'malformed'; readonly line: number; readonly raw: string; readonly message: string };

export interface CsvRecords {
  readonly records: AsyncIterable<CsvRecord>;
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

interface ParsedRecord {
  readonly record: string[];
  readonly raw: string;
  readonly info: { readonly lines: number };
}

const MAX_MESSAGE_CHARS = 200;

const newlines = (text: string): number => {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
};

/**
 * Reads CSV records from text (LF line endings) with csv-parse: a BOM at the start is dropped,
 * empty lines are skipped, a record may have any number of fields (the caller judges that per
 * row). A quote inside an unquoted field, or text after a closing quote, is kept as part of the
 * value (relax_quotes) for the row rules to refuse: csv-parse's own recovery from those errors
 * would swallow the good rows that follow. A record the parser still cannot read (a quote left
 * open to the end) is reported rather than ending the file. Each record carries the line it
 * starts on (the first is 1): the parser counts the line a record ends on, less the line breaks
 * inside its quoted fields.
 */
export const readCsvRecords = (text: AsyncIterable<string>, options: CsvReadOptions = {}): CsvRecords => {
  const maxRecordChars = options.maxRecordChars ?? 1024 * 1024;
  let abandonedAt: number | null = null;
  // Line the parser's last record ended on; the parser runs ahead of the consumer.
  let parsedLine = 0;
  let charsSinceRecord = 0;
  const skipped: CsvRecord[] = [];
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    raw: true,
    on_record: (record: string[], context) => {
      charsSinceRecord = 0;
      parsedLine = context.lines;
      return record;
    },
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      charsSinceRecord = 0;
      const text = (raw ?? '').replace(/^\n+/, '');
      const endLine = typeof error?.lines === 'number' ? error.lines : parsedLine + 1;
      const line = Math.max(parsedLine + 1, endLine - newlines(text.replace(/\n$/, '')));
      const reason =
        error?.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a quoted field opened on this line is never closed; lines ${line}-${endLine} could not be read as rows`
          : (error?.message ?? 'the CSV parser could not read this record');
      parsedLine = endLine;
      // After the text was given up, the parser reports the record it held open: it starts the loss.
      if (abandonedAt !== null) abandonedAt = line;
      skipped.push({
        kind: 'malformed',
        line,
        raw: text,
        message: `line ${line}: ${reason.length > MAX_MESSAGE_CHARS ? `${reason.slice(0, MAX_MESSAGE_CHARS - 3)}...` : reason}`,
      });
      return undefined;
    },
  });

  const feed = async (): Promise<void> => {
    try {
      for await (const chunk of text) {
        charsSinceRecord += chunk.length;
        if (charsSinceRecord > maxRecordChars) {
          abandonedAt = parsedLine + 1;
          break;
        }
        if (!parser.write(chunk)) await once(parser, 'drain');
      }
      parser.end();
    } catch (error) {
      parser.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };

  async function* records(): AsyncGenerator<CsvRecord> {
    const feeding = feed();
    for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
      const inside = parsed.record.reduce((count, field) => count + newlines(field), 0);
      const line = parsed.info.lines - inside;
      while (skipped[0] !== undefined && skipped[0].line < line) yield skipped.shift() as CsvRecord;
      yield { kind: 'fields', line, endLine: parsed.info.lines, fields: parsed.record, raw: parsed.raw };
    }
    await feeding;
    yield* skipped;
  }

  return { records: records(), abandonedAt: () => abandonedAt };
};
