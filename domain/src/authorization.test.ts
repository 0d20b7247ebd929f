import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type AuthorizationRequest } from './authorization.js';
import type { CreditAccount } from './contracts/account.js';
import { decisionSchema, type RejectReason } from './contracts/transaction.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

const account = (overrides: Partial<CreditAccount> = {}): CreditAccount => ({
  user_id: 'user-1',
  available: 10_000,
  pending: 0,
  version: 3,
  status: 'ACTIVE',
  currency: 'USD',
  per_transaction_limit: null,
  ...overrides,
});

const request = (overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  transaction_id: 'tx-1',
  user_id: 'user-1',
  amount: 2_500,
  ...overrides,
});

describe('decide', () => {
  it('permits an amount within the credit and leaves the rest', () => {
    // Act
    const decision = decide(request({ currency: 'USD' }), account(), NOW);

    // Assess
    expect(decision).toEqual({
      transaction_id: 'tx-1',
      user_id: 'user-1',
      amount: 2_500,
      currency: 'USD',
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 7_500,
      decided_at: '2026-03-01T12:00:00.000Z',
    });
    expect(decisionSchema.safeParse(decision).success).toBe(true);
  });

  it('permits exactly the available credit, leaving zero', () => {
    // Act
    const decision = decide(request({ amount: 10_000 }), account(), NOW);

    // Assess
    expect(decision).toMatchObject({ status: 'PERMITTED', remaining_credit: 0 });
    expect(decision).not.toHaveProperty('currency');
  });

  it.each<[string, AuthorizationRequest, CreditAccount | null, RejectReason, number]>([
    ['an unknown user', request(), null, 'UNKNOWN_USER', 0],
    ['a zero amount', request({ amount: 0 }), account(), 'INVALID_AMOUNT', 10_000],
    ['a negative amount', request({ amount: -1 }), account(), 'INVALID_AMOUNT', 10_000],
    ['a fractional amount', request({ amount: 1.5 }), account(), 'INVALID_AMOUNT', 10_000],
    ['an unsafe amount', request({ amount: 2 ** 53 }), account(), 'INVALID_AMOUNT', 10_000],
    [
      'a suspended account',
      request(),
      account({ status: 'SUSPENDED' }),
      'ACCOUNT_SUSPENDED',
      10_000,
    ],
    ['another currency', request({ currency: 'EUR' }), account(), 'CURRENCY_MISMATCH', 10_000],
    [
      'an amount over the limit',
      request({ amount: 5_001 }),
      account({ per_transaction_limit: 5_000 }),
      'LIMIT_EXCEEDED',
      10_000,
    ],
    [
      'an amount over the credit',
      request({ amount: 10_001 }),
      account(),
      'INSUFFICIENT_FUNDS',
      10_000,
    ],
    [
      'any amount on a negative credit',
      request({ amount: 1 }),
      account({ available: -50 }),
      'INSUFFICIENT_FUNDS',
      0,
    ],
  ])('rejects %s', (_case, req, acc, reason, remaining) => {
    // Act
    const decision = decide(req, acc, NOW);

    // Assess
    expect(decision).toMatchObject({ status: 'REJECTED', reason, remaining_credit: remaining });
  });

  it('permits an amount exactly at the limit', () => {
    // Act
    const decision = decide(
      request({ amount: 5_000 }),
      account({ per_transaction_limit: 5_000 }),
      NOW,
    );

    // Assess
    expect(decision.status).toBe('PERMITTED');
  });

  // Each pair sets up the two reasons at once; the first in `rejectReasons` order must win.
  it.each<[RejectReason, RejectReason, AuthorizationRequest, CreditAccount | null]>([
    ['UNKNOWN_USER', 'INVALID_AMOUNT', request({ amount: 0 }), null],
    ['UNKNOWN_USER', 'CURRENCY_MISMATCH', request({ currency: 'EUR' }), null],
    [
      'INVALID_AMOUNT',
      'ACCOUNT_SUSPENDED',
      request({ amount: -5 }),
      account({ status: 'SUSPENDED' }),
    ],
    ['INVALID_AMOUNT', 'CURRENCY_MISMATCH', request({ amount: 0, currency: 'EUR' }), account()],
    [
      'INVALID_AMOUNT',
      'LIMIT_EXCEEDED',
      request({ amount: 1.5 }),
      account({ per_transaction_limit: 1 }),
    ],
    ['INVALID_AMOUNT', 'INSUFFICIENT_FUNDS', request({ amount: 0 }), account({ available: 0 })],
    [
      'ACCOUNT_SUSPENDED',
      'CURRENCY_MISMATCH',
      request({ currency: 'EUR' }),
      account({ status: 'SUSPENDED' }),
    ],
    [
      'ACCOUNT_SUSPENDED',
      'LIMIT_EXCEEDED',
      request({ amount: 9_000 }),
      account({ status: 'SUSPENDED', per_transaction_limit: 100 }),
    ],
    [
      'ACCOUNT_SUSPENDED',
      'INSUFFICIENT_FUNDS',
      request({ amount: 20_000 }),
      account({ status: 'SUSPENDED' }),
    ],
    [
      'CURRENCY_MISMATCH',
      'LIMIT_EXCEEDED',
      request({ amount: 9_000, currency: 'EUR' }),
      account({ per_transaction_limit: 100 }),
    ],
    [
      'CURRENCY_MISMATCH',
      'INSUFFICIENT_FUNDS',
      request({ amount: 20_000, currency: 'EUR' }),
      account(),
    ],
    [
      'LIMIT_EXCEEDED',
      'INSUFFICIENT_FUNDS',
      request({ amount: 20_000 }),
      account({ per_transaction_limit: 15_000 }),
    ],
  ])('reports %s before %s', (winner, _loser, req, acc) => {
    // Act
    const decision = decide(req, acc, NOW);

    // Assess
    expect(decision.reason).toBe(winner);
  });
});

describe('decide, properties', () => {
  const accounts = fc.record({
    user_id: fc.constant('user-1'),
    available: fc.integer({ min: 0, max: 1_000_000_000 }),
    pending: fc.nat(),
    version: fc.nat(),
    status: fc.constantFrom('ACTIVE' as const, 'SUSPENDED' as const),
    currency: fc.constantFrom('USD', 'EUR'),
    per_transaction_limit: fc.option(fc.integer({ min: 1, max: 1_000_000_000 }), { nil: null }),
  });
  const requests = fc.record({
    transaction_id: fc.constant('tx-1'),
    user_id: fc.constant('user-1'),
    amount: fc.oneof(fc.integer({ min: -10, max: 1_100_000_000 }), fc.double()),
    currency: fc.option(fc.constantFrom('USD', 'EUR'), { nil: undefined }),
  });

  it('never permits more than is available, and leaves available - amount on a permit', () => {
    fc.assert(
      fc.property(requests, fc.option(accounts, { nil: null }), (req, acc) => {
        // Act
        const decision = decide(req, acc, NOW);

        // Assess
        if (decision.status === 'PERMITTED') {
          expect(acc).not.toBeNull();
          expect(req.amount).toBeLessThanOrEqual(acc?.available ?? 0);
          expect(decision.remaining_credit).toBe((acc?.available ?? 0) - req.amount);
          expect(decision.reason).toBeNull();
        } else {
          expect(decision.remaining_credit).toBe(acc?.available ?? 0);
          expect(decision.reason).not.toBeNull();
        }
      }),
    );
  });

  it('always permits a valid amount within the credit of an active account', () => {
    const eligible = accounts.chain((acc) =>
      fc.record({
        acc: fc.constant({
          ...acc,
          status: 'ACTIVE' as const,
          available: Math.max(acc.available, 1),
        }),
        amount: fc.integer({ min: 1, max: Math.max(acc.available, 1) }),
        sameCurrency: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(eligible, ({ acc, amount, sameCurrency }) => {
        // Prepare
        const limited = {
          ...acc,
          per_transaction_limit:
            acc.per_transaction_limit === null ? null : Math.max(acc.per_transaction_limit, amount),
        };
        const req = request({ amount, ...(sameCurrency ? { currency: acc.currency } : {}) });

        // Act
        const decision = decide(req, limited, NOW);

        // Assess
        expect(decision).toMatchObject({
          status: 'PERMITTED',
          remaining_credit: acc.available - amount,
        });
      }),
    );
  });

  it('keeps sum(permitted) <= total credited over any sequence of deposits and requests', () => {
    const steps = fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('deposit' as const),
          amount: fc.integer({ min: 1, max: 100_000 }),
        }),
        fc.record({
          kind: fc.constant('request' as const),
          amount: fc.integer({ min: -100, max: 150_000 }),
        }),
      ),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(steps, (sequence) => {
        // Prepare: a model ledger; the account the rule sees is derived from it at every step.
        let credited = 0;
        let permitted = 0;
        let version = 0;

        for (const [index, step] of sequence.entries()) {
          if (step.kind === 'deposit') {
            credited += step.amount;
            continue;
          }
          // Act
          const decision = decide(
            request({ transaction_id: `tx-${index}`, amount: step.amount }),
            account({ available: credited - permitted, version }),
            NOW,
          );
          if (decision.status === 'PERMITTED') {
            permitted += step.amount;
            version += 1;
          }

          // Assess
          expect(permitted).toBeLessThanOrEqual(credited);
          expect(decision.remaining_credit).toBe(credited - permitted);
        }
      }),
    );
  });
});
