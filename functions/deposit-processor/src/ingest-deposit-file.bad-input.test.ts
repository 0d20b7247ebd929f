import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorsKey } from './output-keys.js';
import {
  fixture,
  startDepositStandIns,
  type DepositStandIns,
} from './test-support/deposit-stand-ins.js';

interface Case {
  readonly file: string;
  readonly status: string;
  /** Line of a file-level problem. */
  readonly line?: number;
  readonly counts: {
    readonly rows: number;
    readonly accepted: number;
    readonly duplicates: number;
    readonly rejected: number;
  };
  /** Every line of the errors file: [line, reason]. */
  readonly errors: readonly (readonly [number, string])[];
}

/** Each bad input of the issue, as a real file under fixtures/deposits, and what the summary and errors file must say. */
const cases: readonly Case[] = [
  {
    file: 'valid.csv',
    status: 'PROCESSED',
    counts: { rows: 5, accepted: 5, duplicates: 0, rejected: 0 },
    errors: [],
  },
  {
    file: 'missing-header.csv',
    status: 'BAD_HEADER',
    line: 1,
    counts: { rows: 0, accepted: 0, duplicates: 0, rejected: 0 },
    errors: [[1, 'MISSING_COLUMN']],
  },
  {
    file: 'unknown-header.csv',
    status: 'BAD_HEADER',
    line: 1,
    counts: { rows: 0, accepted: 0, duplicates: 0, rejected: 0 },
    errors: [[1, 'MISSING_COLUMN']],
  },
  {
    file: 'duplicate-column.csv',
    status: 'BAD_HEADER',
    line: 1,
    counts: { rows: 0, accepted: 0, duplicates: 0, rejected: 0 },
    errors: [[1, 'DUPLICATE_COLUMN']],
  },
  {
    file: 'extra-columns.csv',
    status: 'PROCESSED',
    counts: { rows: 5, accepted: 3, duplicates: 0, rejected: 2 },
    errors: [
      [4, 'WRONG_FIELD_COUNT'],
      [5, 'WRONG_FIELD_COUNT'],
    ],
  },
  {
    file: 'bom.csv',
    status: 'PROCESSED',
    counts: { rows: 2, accepted: 1, duplicates: 0, rejected: 1 },
    errors: [[3, 'INVALID_AMOUNT']],
  },
  {
    file: 'crlf.csv',
    status: 'PROCESSED',
    counts: { rows: 4, accepted: 3, duplicates: 0, rejected: 1 },
    errors: [[4, 'NON_POSITIVE_AMOUNT']],
  },
  {
    file: 'quoted-commas.csv',
    status: 'PROCESSED',
    counts: { rows: 5, accepted: 2, duplicates: 0, rejected: 3 },
    errors: [
      [3, 'INVALID_AMOUNT'],
      [4, 'INVALID_USER_ID'],
      [5, 'WRONG_FIELD_COUNT'],
    ],
  },
  {
    file: 'empty-lines.csv',
    status: 'PROCESSED',
    counts: { rows: 3, accepted: 2, duplicates: 0, rejected: 1 },
    errors: [[7, 'INVALID_AMOUNT']],
  },
  {
    file: 'amounts.csv',
    status: 'PROCESSED',
    counts: { rows: 11, accepted: 1, duplicates: 0, rejected: 10 },
    errors: [
      [2, 'INVALID_AMOUNT'], // 3 decimals
      [3, 'INVALID_AMOUNT'], // exponent
      [4, 'INVALID_AMOUNT'], // thousands separator
      [5, 'NON_POSITIVE_AMOUNT'], // negative
      [6, 'NON_POSITIVE_AMOUNT'], // zero
      [7, 'AMOUNT_TOO_LARGE'], // 20 digits
      [8, 'AMOUNT_TOO_LARGE'], // one cent over the maximum
      [9, 'MISSING_FIELD'],
      [10, 'INVALID_AMOUNT'], // plus sign
      [11, 'INVALID_AMOUNT'], // currency symbol
    ],
  },
  {
    file: 'timestamps.csv',
    status: 'PROCESSED',
    counts: { rows: 7, accepted: 1, duplicates: 0, rejected: 6 },
    errors: [
      [2, 'FUTURE_TIMESTAMP'], // next year
      [3, 'INVALID_TIMESTAMP'], // not ISO-8601
      [4, 'INVALID_TIMESTAMP'], // no time zone
      [5, 'INVALID_TIMESTAMP'], // 30 February
      [7, 'FUTURE_TIMESTAMP'], // 6 minutes ahead, beyond the 5 tolerated
      [8, 'INVALID_TIMESTAMP'],
    ],
  },
  {
    file: 'repeated-ids.csv',
    status: 'PROCESSED',
    counts: { rows: 5, accepted: 2, duplicates: 1, rejected: 2 },
    errors: [
      [4, 'DUPLICATE_IN_FILE'],
      [5, 'CONFLICT_IN_FILE'],
      [6, 'CONFLICT_IN_FILE'],
    ],
  },
  {
    file: 'ids.csv',
    status: 'PROCESSED',
    counts: { rows: 4, accepted: 1, duplicates: 0, rejected: 3 },
    errors: [
      [2, 'INVALID_USER_ID'],
      [3, 'INVALID_DEPOSIT_ID'],
      [4, 'MISSING_FIELD'],
    ],
  },
  {
    file: 'unclosed-quote.csv',
    status: 'PROCESSED',
    counts: { rows: 2, accepted: 1, duplicates: 0, rejected: 1 },
    errors: [[3, 'MALFORMED_ROW']],
  },
  {
    file: 'stray-quotes.csv',
    status: 'PROCESSED',
    counts: { rows: 4, accepted: 2, duplicates: 0, rejected: 2 },
    errors: [
      [3, 'INVALID_AMOUNT'],
      [4, 'INVALID_AMOUNT'],
    ],
  },
  {
    file: 'latin1.csv',
    status: 'NOT_UTF8',
    line: 4,
    counts: { rows: 2, accepted: 2, duplicates: 0, rejected: 0 },
    errors: [[4, 'NOT_UTF8']],
  },
  {
    file: 'empty.csv',
    status: 'EMPTY',
    counts: { rows: 0, accepted: 0, duplicates: 0, rejected: 0 },
    errors: [],
  },
  {
    file: 'header-only.csv',
    status: 'EMPTY',
    counts: { rows: 0, accepted: 0, duplicates: 0, rejected: 0 },
    errors: [],
  },
  {
    file: 'not-csv.json',
    status: 'NOT_CSV',
    line: 1,
    counts: { rows: 0, accepted: 0, duplicates: 0, rejected: 0 },
    errors: [[1, 'NOT_CSV']],
  },
  {
    file: 'semicolons.csv',
    status: 'NOT_CSV',
    line: 1,
    counts: { rows: 0, accepted: 0, duplicates: 0, rejected: 0 },
    errors: [[1, 'NOT_CSV']],
  },
];

describe('ingestDepositFile: bad input, reported line by line, never stopping the file', () => {
  let standIns: DepositStandIns;
  beforeAll(() => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  });
  beforeEach(async () => {
    standIns = await startDepositStandIns();
  });
  afterEach(async () => {
    await standIns.close();
  });

  it.each(cases)(
    '$file: $status, errors $errors',
    async ({ file, status, line, counts, errors }) => {
      // Prepare
      const ref = await standIns.upload(file, fixture(file));

      // Act
      const outcome = await standIns.dependencies().ingest(ref);

      // Assess: the summary
      if (outcome.status !== 'INGESTED') throw new Error(`not ingested: ${outcome.status}`);
      const { summary } = outcome;
      expect(summary).toMatchObject({ status, ...counts });
      expect(summary.line).toBe(line);
      expect(summary.rows).toBe(summary.accepted + summary.duplicates + summary.rejected);
      if (status === 'PROCESSED') expect(summary.message).toBeUndefined();
      else expect(summary.message).toMatch(/\S/);

      // Assess: the errors file, one line per problem with its line and reason
      expect(summary.errors_key).toBe(errors.length === 0 ? null : errorsKey(ref.key));
      const written = errors.length === 0 ? [] : await standIns.errorsFile(errorsKey(ref.key));
      expect(written.map((entry) => [entry.line, entry.reason])).toEqual(errors);
      for (const entry of written)
        expect(entry.message).toMatch(new RegExp(`^line ${entry.line}: `));

      // Assess: exactly the accepted deposits were credited, in both stores
      const cache = Object.values(await standIns.creditCache()).reduce(
        (sum, cents) => sum + cents,
        0,
      );
      const books = Object.values(await standIns.creditBalance()).reduce(
        (sum, cents) => sum + cents,
        0,
      );
      expect([cache, books]).toEqual([summary.credited_amount, summary.credited_amount]);
      expect((await standIns.depositIds()).aurora).toHaveLength(summary.accepted);
    },
  );

  it('writes each refused row as the file has it, beside a message that says what is wrong', async () => {
    // Prepare
    const ref = await standIns.upload('quoted-commas.csv', fixture('quoted-commas.csv'));

    // Act
    await standIns.dependencies().ingest(ref);

    // Assess
    expect(await standIns.errorsFile(errorsKey(ref.key))).toEqual([
      {
        line: 3,
        row: 'user-2,"1,000.00",dep-0002,2026-01-15T09:01:00Z',
        reason: 'INVALID_AMOUNT',
        message: 'line 3: amount "1,000.00" is not a plain decimal number',
      },
      {
        line: 4,
        row: '"user,3",5.00,dep-0003,2026-01-15T09:02:00Z',
        reason: 'INVALID_USER_ID',
        message: expect.stringMatching(/^line 4: user_id "user,3" /) as unknown,
      },
      {
        line: 5,
        row: 'user-4,1,000.00,dep-0004,2026-01-15T09:03:00Z',
        reason: 'WRONG_FIELD_COUNT',
        message:
          'line 5: 5 fields where the header has 4; a value holding a comma must be quoted, e.g. "1,000.00" (and amounts carry no separators)',
      },
    ]);
  });

  it('credits the rows before a line that is not UTF-8 and says where reading stopped', async () => {
    // Prepare
    const ref = await standIns.upload('latin1.csv', fixture('latin1.csv'));

    // Act
    const outcome = await standIns.dependencies().ingest(ref);

    // Assess
    expect(outcome).toMatchObject({
      summary: {
        status: 'NOT_UTF8',
        line: 4,
        accepted: 2,
        credited_amount: 12_550,
        message:
          'line 4: not UTF-8 (at byte offset 126); the lines before it were processed, this line and those after it were not. Save the file as UTF-8 and upload it again',
      },
    });
    expect(await standIns.creditCache()).toEqual({ 'user-1': 10_000, 'user-2': 2_550 });
  });
});
