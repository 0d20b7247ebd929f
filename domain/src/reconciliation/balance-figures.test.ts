import { describe, expect, it } from 'vitest';
import { reconcile } from './reconciler.js';

const rules = { now: new Date('2026-03-02T02:00:00.000Z'), unsettledAfterMs: 15 * 60_000 };

/**
 * alice: 200.00 credited; a manual hold of 100.00 settled, then captured 40.00 (settled) and
 * incremented 10.00 (not settled yet, recorded an hour ago); an automatic 30.00 not settled.
 * DynamoDB: posted 40 + 30 = 70.00, pending 100 - 40 + 10 = 70.00, available 60.00.
 */
const input = (item: { credited: number; posted: number; pending: number; available: number }) => ({
  auroraUsers: [
    { user_id: 'alice', deposits_total: 20_000, permitted_total: 10_000, balance: 10_000 },
  ],
  auroraHoldBooks: [{ user_id: 'alice', pending: 6_000, increments: 0, released: 0, refunded: 0 }],
  cacheItems: [{ user_id: 'alice', ...item }],
  unsettledDecisions: [
    {
      transaction_id: 'tx-auto',
      user_id: 'alice',
      status: 'PERMITTED' as const,
      amount: 3_000,
      decided_at: '2026-03-02T01:59:00.000Z',
    },
  ],
  unsettledOperations: [
    {
      transaction_id: 'tx-hold',
      user_id: 'alice',
      operation: 'increment' as const,
      operation_id: 'inc-1',
      deltas: { available: -1_000, pending: 1_000, posted: 0 },
      occurred_at: '2026-03-02T01:00:00.000Z',
    },
    {
      transaction_id: 'tx-hold',
      user_id: 'alice',
      operation: 'capture' as const,
      operation_id: 'cap-x',
      deltas: { available: 0, pending: 0, posted: 0 },
      occurred_at: 'yesterday',
    },
  ],
  dynamoDbDeposits: [],
  auroraDeposits: [],
  deadLetteredCallbacks: [],
});

describe('reconciliation of a user with holds', () => {
  it('counts unsettled decisions and steps on the DynamoDB side, and reports the stuck steps', () => {
    // Act
    const report = reconcile(
      input({ credited: 20_000, posted: 7_000, pending: 7_000, available: 6_000 }),
      rules,
    );

    // Assess
    expect(report.differences.map((d) => [d.kind, d.transaction_id, d.message])).toEqual([
      [
        'UNSETTLED_OPERATION',
        'tx-hold',
        'increment inc-1 at 2026-03-02T01:00:00.000Z is still unsettled after 1h 0m (threshold 15m)',
      ],
      [
        'UNSETTLED_OPERATION',
        'tx-hold',
        'capture cap-x is unsettled and its occurred_at "yesterday" cannot be read',
      ],
    ]);
    expect([report.drifted_users, report.unsettled_decisions]).toEqual([0, 2]);
  });

  it('names every figure that disagrees, with the arithmetic', () => {
    // Act: the item lost 1.00 of pending and gained 2.00 of posted.
    const report = reconcile(
      input({ credited: 20_000, posted: 7_200, pending: 6_900, available: 6_000 }),
      rules,
    );

    // Assess
    expect(
      report.differences
        .filter((d) => d.kind !== 'UNSETTLED_OPERATION')
        .map((d) => [d.kind, d.expected, d.actual, d.message]),
    ).toEqual([
      [
        'ACCOUNT_FIGURES_BROKEN',
        5_900,
        6_000,
        'account item holds available 60.00, but its credited 200.00 - posted 72.00 - pending 69.00 = 59.00',
      ],
      [
        'POSTED_MISMATCH',
        7_000,
        7_200,
        'account item posted 72.00, Aurora posted 40.00 + unsettled 30.00 = 70.00',
      ],
      [
        'PENDING_MISMATCH',
        7_000,
        6_900,
        'account item pending 69.00, Aurora pending 60.00 + unsettled 10.00 = 70.00',
      ],
    ]);
  });

  it('explains a balance that disagrees with the lifecycle rows', () => {
    // Act
    const report = reconcile(
      {
        ...input({ credited: 20_000, posted: 7_000, pending: 7_000, available: 6_000 }),
        auroraHoldBooks: [
          { user_id: 'alice', pending: 6_000, increments: 100, released: 200, refunded: 300 },
        ],
      },
      rules,
    );

    // Assess
    expect(report.differences.find((d) => d.kind === 'BALANCE_MISMATCH')?.message).toBe(
      'credit_balance 100.00, but deposits 200.00 - permitted 100.00 - increments 1.00 + released 2.00 + refunded 3.00 = 104.00',
    );
  });
});
