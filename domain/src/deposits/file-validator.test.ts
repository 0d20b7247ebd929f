import { describe, expect, it } from 'vitest';
import { createDepositFileValidator } from './file-validator.js';
import { mapHeader } from './header.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

/** A small file as csv-parse yields it: records of unquoted fields, numbered from line 1. */
const file = [
  ['\uFEFFdeposit_id', 'user_id', 'amount', 'timestamp\r'],
  ['dep-1', 'user-1', '10.00', '2026-02-28T00:00:00Z\r'],
  ['dep-1', 'user-1', 'ten', '2026-02-28T00:00:00Z\r'],
  ['dep-2', 'user-2', '-1', '2026-02-28T00:00:00Z'],
  ['dep-2', 'user-2', '3.00', '2026-02-28T00:00:00Z'],
  ['dep-1', 'user-1', '10', '2026-02-28T06:00:00+06:00'],
  ['dep-1', 'user-1', '10.01', '2026-02-28T00:00:00Z'],
];

describe('createDepositFileValidator', () => {
  it('runs the row rules, then the in-file rules on the rows that passed them', () => {
    // Prepare
    const header = mapHeader(file[0] ?? []);
    if (!header.ok) throw new Error(header.error.message);
    const validator = createDepositFileValidator(header.value, { now: NOW });

    // Act
    const outcomes = file.slice(1).map((fields, index) => {
      const result = validator.validate(fields, index + 2);
      return result.ok
        ? `${result.value.line} ok ${result.value.amount}`
        : `${result.error.line} ${result.error.reason}`;
    });

    // Assess: the rejected line 4 does not claim dep-2, so line 5 is accepted.
    expect(outcomes).toEqual([
      '2 ok 1000',
      '3 INVALID_AMOUNT',
      '4 NON_POSITIVE_AMOUNT',
      '5 ok 300',
      '6 DUPLICATE_IN_FILE',
      '7 CONFLICT_IN_FILE',
    ]);
  });
});
