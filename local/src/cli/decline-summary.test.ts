import { describe, expect, it } from 'vitest';
import { declineSummary } from './decline-summary.js';

const rejected = (reason: string, detail: unknown) => ({
  transaction_id: 'tx-1',
  status: 'REJECTED',
  reason,
  remaining_credit: 10_000,
  decided_at: '2026-12-01T12:00:00.000Z',
  detail,
});

describe('the CLI’s decline summary', () => {
  it.each([
    [
      rejected('VELOCITY_LIMIT_EXCEEDED', {
        control: 'velocity',
        interval: 'daily',
        measure: 'amount',
        limit: 5_000,
        used: 4_500,
        remaining: 500,
        requested: 600,
        resets_at: '2026-12-02T00:00:00.000Z',
      }),
      'REJECTED VELOCITY_LIMIT_EXCEEDED: daily amount limit 50.00: used 45.00, remaining 5.00, resets at 2026-12-02T00:00:00.000Z',
    ],
    [
      rejected('VELOCITY_LIMIT_EXCEEDED', { control: 'velocity', interval: 'lifetime', measure: 'count', limit: 3, used: 3, remaining: 0, requested: 1 }),
      'REJECTED VELOCITY_LIMIT_EXCEEDED: lifetime count limit 3 authorizations: used 3 authorizations, remaining 0 authorizations',
    ],
    [
      rejected('LIMIT_EXCEEDED', { control: 'max_per_transaction', limit: 2_000, requested: 2_500 }),
      'REJECTED LIMIT_EXCEEDED: the per-transaction limit is 20.00, requested 25.00',
    ],
    [rejected('ACCOUNT_SUSPENDED', { control: 'status', status: 'SUSPENDED' }), 'REJECTED ACCOUNT_SUSPENDED: the account is SUSPENDED'],
  ])('%#: prints the detail in a line', (body, line) => {
    expect(declineSummary(body)).toBe(line);
  });

  it('prints nothing for a permit, an error or a reject without a detail', () => {
    expect(declineSummary({ transaction_id: 't', status: 'PERMITTED', reason: null, remaining_credit: 1, decided_at: '2026-12-01T12:00:00.000Z' })).toBeNull();
    expect(declineSummary({ error: { code: 'VALIDATION_ERROR', message: 'x' } })).toBeNull();
    expect(declineSummary(rejected('UNKNOWN_USER', undefined))).toBeNull();
  });
});
