import { describe, expect, it } from 'vitest';
import { creditAccountSchema } from './account.js';

const item = {
  user_id: 'user-1',
  available: 1_000,
  pending: 0,
  version: 0,
  status: 'ACTIVE',
  currency: 'USD',
  per_transaction_limit: null,
};

describe('creditAccountSchema', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['a CreditCache item', item, true],
    ['a per-transaction limit', { ...item, per_transaction_limit: 500 }, true],
    ['fractional cents', { ...item, available: 10.5 }, false],
    ['a negative version', { ...item, version: -1 }, false],
    ['a closed account', { ...item, status: 'CLOSED' }, true],
    ['an unknown status', { ...item, status: 'FROZEN' }, false],
  ])('judges %s', (_case, candidate, valid) => {
    // Act
    const parsed = creditAccountSchema.safeParse(candidate);

    // Assess
    expect(parsed.success).toBe(valid);
  });
});
