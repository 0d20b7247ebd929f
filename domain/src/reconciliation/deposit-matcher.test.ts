import { describe, expect, it } from 'vitest';
import { createDepositMatcher } from './deposit-matcher.js';
import type { DepositRecord } from './inputs.js';

const page = (from: number, to: number, amount = (n: number): number => n): DepositRecord[] =>
  Array.from({ length: to - from }, (_, k) => ({
    deposit_id: `dep-${from + k}`,
    user_id: `user-${(from + k) % 20_000}`,
    amount: amount(from + k),
  }));

describe('createDepositMatcher', () => {
  it('matches a million deposits fed in alternating pages, finding the few that differ', () => {
    // Prepare
    const matcher = createDepositMatcher();
    const total = 1_000_000;
    const pageSize = 20_000;

    // Act: DynamoDB lacks dep-7; Aurora holds dep-999999 at one cent more.
    for (let from = 0; from < total; from += pageSize) {
      matcher.addFromDynamoDb(page(from, from + pageSize).filter((d) => d.deposit_id !== 'dep-7'));
      matcher.addFromAurora(page(from, from + pageSize, (n) => (n === 999_999 ? n + 1 : n)));
    }
    const differences = matcher.differences();

    // Assess
    expect(matcher.checked).toBe(total);
    expect(differences.map((d) => [d.kind, d.deposit_id, d.delta])).toEqual([
      ['DEPOSIT_AMOUNT_MISMATCH', 'dep-999999', 1],
      ['DEPOSIT_MISSING_IN_DYNAMODB', 'dep-7', 7],
    ]);
  }, 60_000); // a million records: seconds of CPU, more on a loaded machine
});
