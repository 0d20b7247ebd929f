import { describe, expect, it } from 'vitest';
import { mapHeader, type DepositHeader } from './header.js';
import { rowRejectionReasons, type RowRejectionReason } from './rejection.js';
import {
  DEFAULT_MAX_FUTURE_SKEW_MS,
  isBlankRecord,
  validateDepositRow,
  type DepositRowRules,
} from './row.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const rules: DepositRowRules = { now: NOW };

const headerOf = (fields: string[]): DepositHeader => {
  const header = mapHeader(fields);
  if (!header.ok) throw new Error(header.error.message);
  return header.value;
};
const header = headerOf(['user_id', 'amount', 'deposit_id', 'timestamp']);

/** A row in header order, fields as csv-parse hands them over (already unquoted). */
const row = (user_id: string, amount: string, deposit_id: string, timestamp: string): string[] => [
  user_id,
  amount,
  deposit_id,
  timestamp,
];

describe('validateDepositRow', () => {
  it('accepts a good row: amount in cents, time in UTC, line kept', () => {
    // Act
    const result = validateDepositRow(
      row('user-1', '12.34', 'dep-1', '2026-02-28T09:30:00+01:00'),
      header,
      7,
      rules,
    );

    // Assess
    expect(result).toEqual({
      ok: true,
      value: {
        deposit_id: 'dep-1',
        user_id: 'user-1',
        amount: 1234,
        timestamp: '2026-02-28T08:30:00.000Z',
        line: 7,
      },
    });
  });

  it('trims padding and the "\\r" a CRLF line leaves on the last field, and ignores surplus fields', () => {
    // Act
    const result = validateDepositRow(
      [' user-1 ', ' 5 ', 'dep-1', '2026-02-28\r', 'surplus'],
      header,
      2,
      rules,
    );

    // Assess
    expect(result).toMatchObject({
      ok: true,
      value: { user_id: 'user-1', amount: 500, timestamp: '2026-02-28T00:00:00.000Z' },
    });
  });

  it('reads the columns where the header put them', () => {
    // Prepare
    const shuffled = headerOf(['timestamp', 'memo', 'deposit_id', 'user_id', 'amount']);

    // Act
    const result = validateDepositRow(
      ['2026-02-28T00:00:00Z', 'a, quoted memo', 'dep-9', 'user-9', '1,5'],
      shuffled,
      3,
      rules,
    );

    // Assess: the comma in the quoted memo is harmless; the one in the amount is not.
    expect(result).toMatchObject({ ok: false, error: { line: 3, reason: 'INVALID_AMOUNT' } });
  });

  it.each<[RowRejectionReason, string[], string]>([
    ['MISSING_FIELD', row('user-1', '', 'dep-1', '2026-02-28T00:00:00Z'), 'line 4: missing amount'],
    [
      'MISSING_FIELD',
      row(' ', '1', '', '2026-02-28T00:00:00Z'),
      'line 4: missing user_id, deposit_id',
    ],
    ['MISSING_FIELD', ['user-1', '1'], 'line 4: missing deposit_id, timestamp'],
    [
      'INVALID_USER_ID',
      row('user 1', '1', 'dep-1', '2026-02-28T00:00:00Z'),
      'line 4: user_id "user 1" may hold letters, digits and . _ : @ - only',
    ],
    [
      'INVALID_USER_ID',
      row('u'.repeat(129), '1', 'dep-1', '2026-02-28T00:00:00Z'),
      'must be at most 128 characters',
    ],
    [
      'INVALID_DEPOSIT_ID',
      row('user-1', '1', '#dep', '2026-02-28T00:00:00Z'),
      'line 4: deposit_id "#dep" may hold',
    ],
    [
      'INVALID_AMOUNT',
      row('user-1', '1e3', 'dep-1', '2026-02-28T00:00:00Z'),
      'not a plain decimal number',
    ],
    [
      'INVALID_AMOUNT',
      row('user-1', '1,000.00', 'dep-1', '2026-02-28T00:00:00Z'),
      'not a plain decimal number',
    ],
    [
      'INVALID_AMOUNT',
      row('user-1', '12.345', 'dep-1', '2026-02-28T00:00:00Z'),
      'more than 2 decimals',
    ],
    [
      'INVALID_AMOUNT',
      row('user-1', 'USD 5', 'dep-1', '2026-02-28T00:00:00Z'),
      'not a plain decimal number',
    ],
    [
      'INVALID_AMOUNT',
      row('user-1', '+5', 'dep-1', '2026-02-28T00:00:00Z'),
      'not a plain decimal number',
    ],
    [
      'NON_POSITIVE_AMOUNT',
      row('user-1', '0.00', 'dep-1', '2026-02-28T00:00:00Z'),
      'greater than zero',
    ],
    ['NON_POSITIVE_AMOUNT', row('user-1', '-5', 'dep-1', '2026-02-28T00:00:00Z'), 'is negative'],
    [
      'AMOUNT_TOO_LARGE',
      row('user-1', '1000000000.01', 'dep-1', '2026-02-28T00:00:00Z'),
      'exceeds the maximum 1000000000.00',
    ],
    [
      'AMOUNT_TOO_LARGE',
      row('user-1', '99999999999999999999', 'dep-1', '2026-02-28T00:00:00Z'),
      'too large',
    ],
    [
      'INVALID_TIMESTAMP',
      row('user-1', '1', 'dep-1', '2026-02-28T10:00:00'),
      'line 4: timestamp "2026-02-28T10:00:00" has no time zone',
    ],
    [
      'INVALID_TIMESTAMP',
      row('user-1', '1', 'dep-1', '2026-02-30T10:00:00Z'),
      'is not a calendar date',
    ],
    ['INVALID_TIMESTAMP', row('user-1', '1', 'dep-1', 'yesterday'), 'is not an ISO-8601 date-time'],
    [
      'FUTURE_TIMESTAMP',
      row('user-1', '1', 'dep-1', '2026-03-01T12:05:00.001Z'),
      'line 4: timestamp 2026-03-01T12:05:00.001Z is later than 2026-03-01T12:05:00.000Z',
    ],
    ['FUTURE_TIMESTAMP', row('user-1', '1', 'dep-1', '2026-03-02'), 'is later than'],
  ])('rejects with %s and the line number', (reason, fields, message) => {
    // Act
    const result = validateDepositRow(fields, header, 4, rules);

    // Assess
    expect(result).toMatchObject({ ok: false, error: { line: 4, reason } });
    expect(result.ok ? '' : result.error.message).toContain(message);
  });

  it('accepts a timestamp within the skew, and honours a configured skew and maximum', () => {
    // Prepare
    const edge = new Date(NOW.getTime() + DEFAULT_MAX_FUTURE_SKEW_MS).toISOString();
    const strict: DepositRowRules = { now: NOW, maxFutureSkewMs: 0, maxCents: 10_000 };

    // Act
    const results = [
      validateDepositRow(row('user-1', '1', 'dep-1', edge), header, 2, rules),
      validateDepositRow(
        row('user-1', '1', 'dep-1', '2026-03-01T12:00:00.001Z'),
        header,
        3,
        strict,
      ),
      validateDepositRow(
        row('user-1', '100.01', 'dep-1', '2026-03-01T00:00:00Z'),
        header,
        4,
        strict,
      ),
      validateDepositRow(
        row('user-1', '100.00', 'dep-1', '2026-03-01T00:00:00Z'),
        header,
        5,
        strict,
      ),
    ];

    // Assess
    expect(results.map((result) => (result.ok ? 'OK' : result.error.reason))).toEqual([
      'OK',
      'FUTURE_TIMESTAMP',
      'AMOUNT_TOO_LARGE',
      'OK',
    ]);
  });

  // A row with two faults is reported under the earlier reason of `rowRejectionReasons`.
  it.each<[RowRejectionReason, RowRejectionReason, string[]]>([
    ['MISSING_FIELD', 'INVALID_USER_ID', row('user 1', '', 'dep-1', '2026-02-28T00:00:00Z')],
    ['INVALID_USER_ID', 'INVALID_DEPOSIT_ID', row('user 1', '1', '#dep', '2026-02-28T00:00:00Z')],
    ['INVALID_DEPOSIT_ID', 'INVALID_AMOUNT', row('user-1', 'x', '#dep', '2026-02-28T00:00:00Z')],
    ['INVALID_AMOUNT', 'INVALID_TIMESTAMP', row('user-1', '1.234', 'dep-1', 'soon')],
    [
      'NON_POSITIVE_AMOUNT',
      'AMOUNT_TOO_LARGE',
      row('user-1', '-99999999999999999999', 'dep-1', '2026-02-28T00:00:00Z'),
    ],
    ['AMOUNT_TOO_LARGE', 'FUTURE_TIMESTAMP', row('user-1', '99999999999', 'dep-1', '2099-01-01')],
    ['NON_POSITIVE_AMOUNT', 'INVALID_TIMESTAMP', row('user-1', '0', 'dep-1', '2026-02-30')],
  ])('reports %s before %s', (first, second, fields) => {
    // Act
    const result = validateDepositRow(fields, header, 9, rules);

    // Assess
    expect(rowRejectionReasons.indexOf(first)).toBeLessThan(rowRejectionReasons.indexOf(second));
    expect(result).toMatchObject({ ok: false, error: { reason: first } });
  });
});

describe('isBlankRecord', () => {
  it.each<[string[], boolean]>([
    [[], true],
    [[''], true],
    [['', ' ', '\r'], true],
    [['', 'x'], false],
  ])('judges %j blank: %s', (fields, blank) => {
    // Act / Assess
    expect(isBlankRecord(fields)).toBe(blank);
  });
});
