import { describe, expect, it } from 'vitest';
import type { ReconciliationRules } from './inputs.js';
import { createReconciler, reconcile, type ReconciliationInput } from './reconciler.js';
import { reconciliationReportSchema } from './report.js';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const rules: ReconciliationRules = { now: NOW, unsettledAfterMs: 15 * 60_000 };
const recently = '2026-03-02T01:59:00.000Z';
const yesterday = '2026-03-01T02:00:00.000Z';

/**
 * A clean system of two users. alice: deposits 100.00 + 50.00, one settled permit of 30.00, one
 * fresh unsettled permit of 20.00 (held in the cache), one unsettled reject. bob: deposit 10.00,
 * no cache item yet (seeded lazily: no drift).
 */
const clean = (): ReconciliationInput => ({
  auroraUsers: [
    { user_id: 'alice', deposits_total: 15_000, permitted_total: 3_000, balance: 12_000 },
    { user_id: 'bob', deposits_total: 1_000, permitted_total: 0, balance: 1_000 },
  ],
  cacheItems: [{ user_id: 'alice', available: 10_000 }],
  unsettledDecisions: [
    {
      transaction_id: 'tx-2',
      user_id: 'alice',
      status: 'PERMITTED',
      amount: 2_000,
      decided_at: recently,
    },
    {
      transaction_id: 'tx-3',
      user_id: 'alice',
      status: 'REJECTED',
      amount: 99_999,
      decided_at: recently,
    },
  ],
  dynamoDbDeposits: [
    { deposit_id: 'dep-a1', user_id: 'alice', amount: 10_000 },
    { deposit_id: 'dep-a2', user_id: 'alice', amount: 5_000 },
    { deposit_id: 'dep-b1', user_id: 'bob', amount: 1_000 },
  ],
  auroraDeposits: [
    { deposit_id: 'dep-b1', user_id: 'bob', amount: 1_000 },
    { deposit_id: 'dep-a2', user_id: 'alice', amount: 5_000 },
    { deposit_id: 'dep-a1', user_id: 'alice', amount: 10_000 },
  ],
  deadLetteredCallbacks: [],
});

describe('reconcile', () => {
  it('finds nothing in a clean system', () => {
    // Act
    const report = reconcile(clean(), rules);

    // Assess
    expect(report).toEqual({
      users_checked: 2,
      deposits_checked: 3,
      differences: [],
      drifted_users: 0,
      drift_amount: 0,
      unsettled_decisions: 0,
      dead_lettered_callbacks: 0,
    });
    expect(reconciliationReportSchema.safeParse(report).success).toBe(true);
  });

  it('finds exactly the planted differences, in report order, with their figures', () => {
    // Prepare: one of each kind.
    const input = clean();
    const planted: ReconciliationInput = {
      ...input,
      auroraUsers: [
        { user_id: 'alice', deposits_total: 15_000, permitted_total: 3_000, balance: 11_999 },
        { user_id: 'bob', deposits_total: 1_000, permitted_total: 0, balance: 1_000 },
        { user_id: 'carol', deposits_total: 700, permitted_total: 0, balance: null },
      ],
      cacheItems: [
        { user_id: 'bob', available: 1_500 },
        { user_id: 'mallory', available: 42 },
      ],
      unsettledDecisions: [
        {
          transaction_id: 'tx-old',
          user_id: 'bob',
          status: 'REJECTED',
          amount: 9_000,
          decided_at: yesterday,
        },
      ],
      dynamoDbDeposits: [
        ...input.dynamoDbDeposits,
        { deposit_id: 'dep-b2', user_id: 'bob', amount: 500 },
        { deposit_id: 'dep-c1', user_id: 'carol', amount: 700 },
      ],
      auroraDeposits: [
        { deposit_id: 'dep-a1', user_id: 'alice', amount: 10_000 },
        { deposit_id: 'dep-a2', user_id: 'alice', amount: 5_001 },
        { deposit_id: 'dep-a3', user_id: 'alice', amount: 250 },
        { deposit_id: 'dep-b1', user_id: 'bob', amount: 1_000 },
        { deposit_id: 'dep-c1', user_id: 'carol', amount: 700 },
      ],
      deadLetteredCallbacks: [{ transaction_id: 'tx-cb', user_id: 'alice' }],
    };

    // Act
    const report = reconcile(planted, rules);

    // Assess
    expect(
      report.differences.map(
        ({ kind, user_id, deposit_id, transaction_id, expected, actual, delta }) => ({
          kind,
          user_id,
          id: deposit_id ?? transaction_id,
          expected,
          actual,
          delta,
        }),
      ),
    ).toEqual([
      {
        kind: 'BALANCE_MISMATCH',
        user_id: 'alice',
        id: undefined,
        expected: 12_000,
        actual: 11_999,
        delta: -1,
      },
      {
        kind: 'BALANCE_MISMATCH',
        user_id: 'carol',
        id: undefined,
        expected: 700,
        actual: null,
        delta: -700,
      },
      {
        kind: 'CACHE_MISMATCH',
        user_id: 'bob',
        id: undefined,
        expected: 1_000,
        actual: 1_500,
        delta: 500,
      },
      {
        kind: 'CACHE_WITHOUT_ACCOUNT',
        user_id: 'mallory',
        id: undefined,
        expected: null,
        actual: 42,
        delta: 42,
      },
      {
        kind: 'DEPOSIT_MISSING_IN_AURORA',
        user_id: 'bob',
        id: 'dep-b2',
        expected: 500,
        actual: null,
        delta: -500,
      },
      {
        kind: 'DEPOSIT_MISSING_IN_DYNAMODB',
        user_id: 'alice',
        id: 'dep-a3',
        expected: null,
        actual: 250,
        delta: 250,
      },
      {
        kind: 'DEPOSIT_AMOUNT_MISMATCH',
        user_id: 'alice',
        id: 'dep-a2',
        expected: 5_000,
        actual: 5_001,
        delta: 1,
      },
      {
        kind: 'UNSETTLED_DECISION',
        user_id: 'bob',
        id: 'tx-old',
        expected: null,
        actual: null,
        delta: 0,
      },
      {
        kind: 'CALLBACK_DEAD_LETTERED',
        user_id: 'alice',
        id: 'tx-cb',
        expected: null,
        actual: null,
        delta: 0,
      },
    ]);
    expect(report).toMatchObject({
      users_checked: 4,
      deposits_checked: 6,
      drifted_users: 4,
      drift_amount: 1 + 700 + 500 + 42 + 500 + 250 + 1,
      unsettled_decisions: 1,
      dead_lettered_callbacks: 1,
    });
    expect(reconciliationReportSchema.safeParse(report).success).toBe(true);
  });

  it('words each difference with the figures on both sides', () => {
    // Prepare
    const input: ReconciliationInput = {
      ...clean(),
      auroraUsers: [
        { user_id: 'alice', deposits_total: 15_000, permitted_total: 3_000, balance: 11_999 },
      ],
      cacheItems: [
        { user_id: 'alice', available: 9_000 },
        { user_id: 'mallory', available: 42 },
      ],
      dynamoDbDeposits: [
        { deposit_id: 'dep-a1', user_id: 'alice', amount: 10_000 },
        { deposit_id: 'dep-a2', user_id: 'alice', amount: 5_001 },
        { deposit_id: 'dep-b1', user_id: 'bob', amount: 1_000 },
        { deposit_id: 'dep-b2', user_id: 'bob', amount: 1 },
      ],
      deadLetteredCallbacks: [{ transaction_id: 'tx-cb', user_id: 'alice' }],
    };

    // Act
    const messages = reconcile(input, rules).differences.map((difference) => difference.message);

    // Assess
    expect(messages).toEqual([
      'credit_balance 119.99, but deposits 150.00 - permitted 30.00 = 120.00',
      'CreditCache.available 90.00, but credit_balance 119.99 - unsettled 20.00 = 99.99',
      'CreditCache holds 0.42 for a user Aurora does not know',
      'deposit of 0.01 is in DepositEvents but not in Aurora',
      'deposit is 50.01 in DepositEvents but 50.00 in Aurora',
      'callback exhausted its retries and waits in the dead-letter queue for a redrive',
    ]);
  });

  it('reports a deposit filed under different users as missing on each side, naming the other user', () => {
    // Prepare
    const input: ReconciliationInput = {
      ...clean(),
      dynamoDbDeposits: [{ deposit_id: 'dep-x', user_id: 'alice', amount: 300 }],
      auroraDeposits: [{ deposit_id: 'dep-x', user_id: 'bob', amount: 300 }],
    };

    // Act
    const differences = reconcile(input, rules).differences;

    // Assess
    expect(differences.map((d) => [d.kind, d.user_id, d.delta, d.message])).toEqual([
      [
        'DEPOSIT_MISSING_IN_AURORA',
        'alice',
        -300,
        'deposit of 3.00 is in DepositEvents but not in Aurora (the deposit is filed under user "bob" in Aurora)',
      ],
      [
        'DEPOSIT_MISSING_IN_DYNAMODB',
        'bob',
        300,
        'deposit of 3.00 is in Aurora but not in DepositEvents (the deposit is filed under user "alice" in DepositEvents)',
      ],
    ]);
  });

  it('does not report a user without a credit_balance row and without deposits', () => {
    // Prepare
    const input: ReconciliationInput = {
      ...clean(),
      auroraUsers: [
        ...clean().auroraUsers,
        { user_id: 'dave', deposits_total: 0, permitted_total: 0, balance: null },
      ],
    };

    // Act
    const report = reconcile(input, rules);

    // Assess
    expect([report.users_checked, report.differences]).toEqual([3, []]);
  });

  it('reports an unsettled decision whose time cannot be read, and words the age of a stuck one', () => {
    // Prepare
    const input: ReconciliationInput = {
      ...clean(),
      unsettledDecisions: [
        ...clean().unsettledDecisions,
        {
          transaction_id: 'tx-bad',
          user_id: 'bob',
          status: 'REJECTED',
          amount: 100,
          decided_at: 'not a time',
        },
        {
          transaction_id: 'tx-20m',
          user_id: 'bob',
          status: 'REJECTED',
          amount: 100,
          decided_at: '2026-03-02T01:40:00.000Z',
        },
        {
          transaction_id: 'tx-old',
          user_id: 'bob',
          status: 'REJECTED',
          amount: 100,
          decided_at: yesterday,
        },
      ],
    };

    // Act
    const messages = reconcile(input, rules).differences.map(
      (d) => `${d.transaction_id ?? ''}: ${d.message}`,
    );

    // Assess
    expect(messages).toEqual([
      'tx-20m: REJECTED 1.00 decided at 2026-03-02T01:40:00.000Z is still unsettled after 20m (threshold 15m)',
      'tx-bad: REJECTED 1.00 is unsettled and its decided_at "not a time" cannot be read',
      'tx-old: REJECTED 1.00 decided at 2026-03-01T02:00:00.000Z is still unsettled after 24h 0m (threshold 15m)',
    ]);
  });

  it('gives the same report whatever order and paging the figures arrive in', () => {
    // Prepare
    const input = clean();
    const paged = createReconciler(rules);

    // Act: Aurora deposits first, one page at a time, users last.
    for (const record of input.auroraDeposits) paged.addAuroraDeposits([record]);
    paged.addDeadLetteredCallbacks([{ transaction_id: 'tx-cb', user_id: 'bob' }]);
    paged.addDynamoDbDeposits([...input.dynamoDbDeposits].reverse());
    paged.addCacheItems(input.cacheItems);
    paged.addUnsettledDecisions(input.unsettledDecisions);
    paged.addAuroraUsers(input.auroraUsers);
    const report = paged.report();

    // Assess
    expect(report).toEqual({
      ...reconcile(
        { ...input, deadLetteredCallbacks: [{ transaction_id: 'tx-cb', user_id: 'bob' }] },
        rules,
      ),
    });
    expect(report.differences.map((d) => d.kind)).toEqual(['CALLBACK_DEAD_LETTERED']);
  });

  it('throws when a user is listed twice: the caller paged wrongly (a bug)', () => {
    // Prepare
    const reconciler = createReconciler(rules);
    reconciler.addAuroraUsers(clean().auroraUsers);

    // Act / Assess
    expect(() => {
      reconciler.addAuroraUsers(clean().auroraUsers);
    }).toThrow('reconciliation input lists Aurora user "alice" twice');
  });
});
