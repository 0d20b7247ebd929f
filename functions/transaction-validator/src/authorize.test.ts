import { itemKey } from '@creditline/adapters/definitions';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CreditAccountCache, SeedOutcome, TransactionRequestInput } from '@creditline/domain';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthorizeCommand } from './authorize.js';
import { createValidatorHarness, type ValidatorHarness } from './fixtures/validator-harness.js';
import { requestFingerprint } from './request-fingerprint.js';

const NOW = new Date('2026-11-25T16:28:00.000Z');
const clock = { now: () => NOW };

const request = (overrides: Partial<TransactionRequestInput> = {}): TransactionRequestInput => ({
  transaction_id: 'tx-1',
  user_id: 'u-1',
  amount: '25.00',
  ...overrides,
});
const http = (body: unknown, partner_id = 'acme'): AuthorizeCommand => ({
  body,
  partner_id,
  onInvalidAmount: 'refuse',
});
const event = (body: unknown, partner_id = 'acme'): AuthorizeCommand => ({
  body,
  partner_id,
  onInvalidAmount: 'reject',
});

describe('authorize', () => {
  let harness: ValidatorHarness;
  afterEach(async () => {
    await harness.drop();
  });

  describe('decides by the domain rules and records every decision', () => {
    it.each([
      {
        name: 'PERMITTED',
        account: { available: 10_000 },
        body: request(),
        status: 'PERMITTED',
        reason: null,
        remaining: 7_500,
        holds: true,
      },
      {
        name: 'UNKNOWN_USER',
        account: null,
        body: request(),
        status: 'REJECTED',
        reason: 'UNKNOWN_USER',
        remaining: 0,
        holds: false,
      },
      {
        name: 'ACCOUNT_SUSPENDED',
        account: { available: 10_000, account_status: 'SUSPENDED' },
        body: request(),
        status: 'REJECTED',
        reason: 'ACCOUNT_SUSPENDED',
        remaining: 10_000,
        detail: { control: 'status', status: 'SUSPENDED' },
        holds: false,
      },
      {
        name: 'CURRENCY_MISMATCH',
        account: { available: 10_000, currency: 'USD' },
        body: request({ currency: 'EUR' }),
        status: 'REJECTED',
        reason: 'CURRENCY_MISMATCH',
        remaining: 10_000,
        detail: { control: 'currency', currency: 'USD', requested: 'EUR' },
        holds: false,
      },
      {
        name: 'LIMIT_EXCEEDED',
        account: { available: 10_000, per_transaction_limit: 2_000 },
        body: request(),
        status: 'REJECTED',
        reason: 'LIMIT_EXCEEDED',
        remaining: 10_000,
        detail: { control: 'max_per_transaction', limit: 2_000, requested: 2_500 },
        holds: false,
      },
      {
        name: 'INSUFFICIENT_FUNDS',
        account: { available: 2_499 },
        body: request(),
        status: 'REJECTED',
        reason: 'INSUFFICIENT_FUNDS',
        remaining: 2_499,
        detail: { control: 'available', requested: 2_500, remaining: 2_499 },
        holds: false,
      },
      {
        name: 'exactly the available credit',
        account: { available: 2_500 },
        body: request(),
        status: 'PERMITTED',
        reason: null,
        remaining: 0,
        holds: true,
      },
    ] as const)('$name', async (row) => {
      const { account, body, status, reason, remaining, holds } = row;
      const detail = 'detail' in row ? row.detail : undefined;
      // Prepare
      harness = await createValidatorHarness({ clock });
      if (account !== null) await harness.seedCache({ user_id: 'u-1', version: 4, ...account });

      // Act
      const outcome = await harness.deps.authorize(http(body, 'acme'));

      // Assess
      const decision = {
        transaction_id: 'tx-1',
        user_id: 'u-1',
        amount: 2_500,
        status,
        reason,
        remaining_credit: remaining,
        decided_at: NOW.toISOString(),
        ...(detail !== undefined ? { detail } : {}),
      };
      expect(outcome).toEqual({
        type: 'decided',
        replay: false,
        decision: { ...decision, ...(body.currency ? { currency: body.currency } : {}) },
      });
      const [item, ...others] = await harness.logItems();
      expect(others).toEqual([]);
      expect(item).toMatchObject({
        ...decision,
        partner_id: 'acme',
        state: 'DECIDED',
        attempt: 1,
        settlement_state: expect.stringMatching(/^PENDING#\d\d$/) as unknown,
      });
      expect(item?.fingerprint).toBe(
        requestFingerprint({
          transaction_id: 'tx-1',
          user_id: 'u-1',
          amount: 2_500,
          currency: body.currency,
        }),
      );
      if (account !== null) {
        expect(await harness.cacheItem('u-1')).toMatchObject(
          holds
            ? {
                available: account.available - 2_500,
                pending: 2_500,
                version: 5,
                last_op: {
                  key: 'tx-1',
                  attempt: 1,
                  kind: 'HOLD',
                  amount: 2_500,
                  at: NOW.toISOString(),
                },
              }
            : { available: account.available, version: 4 },
        );
      }
    });

    it.each([
      ['a negative amount', '-5.00', 'NEGATIVE'],
      ['a zero amount', 0, 'ZERO'],
      ['three decimals', '12.345', 'TOO_MANY_DECIMALS'],
      ['no amount at all', undefined, undefined],
    ])(
      'INVALID_AMOUNT for an event with %s, recorded with the amount as given in its fingerprint',
      async (_name, amount, moneyReason) => {
        // Prepare
        harness = await createValidatorHarness({ clock });
        await harness.seedCache({ user_id: 'u-1', available: 10_000, version: 0 });
        const body = {
          transaction_id: 'tx-1',
          user_id: 'u-1',
          ...(amount !== undefined ? { amount } : {}),
          callback_url: 'https://hooks.acme.example/cb',
        };

        // Act
        const outcome = await harness.deps.authorize(event(body));
        const asHttp = await harness.deps.authorize(http({ ...body, transaction_id: 'tx-2' }));

        // Assess
        expect(outcome).toMatchObject({
          type: 'decided',
          decision: {
            status: 'REJECTED',
            reason: 'INVALID_AMOUNT',
            amount: 0,
            remaining_credit: 10_000,
          },
        });
        const [item] = await harness.logItems();
        expect(item).toMatchObject({
          transaction_id: 'tx-1',
          reason: 'INVALID_AMOUNT',
          callback_url: 'https://hooks.acme.example/cb',
          partner_id: 'acme',
        });
        expect(item?.fingerprint).toBe(
          requestFingerprint({
            transaction_id: 'tx-1',
            user_id: 'u-1',
            amount: { as_given: amount },
            callback_url: 'https://hooks.acme.example/cb',
          }),
        );
        expect(asHttp).toMatchObject({
          type: 'invalid',
          details: [{ path: 'amount', ...(moneyReason ? { reason: moneyReason } : {}) }],
        });
        expect(await harness.cacheItem('u-1')).toMatchObject({ available: 10_000, version: 0 });
      },
    );

    it('refuses, without deciding, a request that cannot be identified', async () => {
      // Prepare
      harness = await createValidatorHarness({ clock });

      // Act
      const outcomes = await Promise.all([
        harness.deps.authorize(event({ user_id: 'u-1', amount: '1.00' })),
        harness.deps.authorize(
          event({ transaction_id: 'bad id!', user_id: 'u-1', amount: '1.00' }),
        ),
        harness.deps.authorize(
          event({ transaction_id: 'tx-9', user_id: 'u-1', amount: 'x', callback_url: 'not a url' }),
        ),
        harness.deps.authorize(
          event({ transaction_id: 'tx-8', user_id: 'u-1', amount: '1.00', extra: true }),
        ),
        harness.deps.authorize(event(['not', 'an', 'object'])),
      ]);

      // Assess
      expect(outcomes.map((outcome) => outcome.type)).toEqual([
        'invalid',
        'invalid',
        'invalid',
        'invalid',
        'invalid',
      ]);
      expect(outcomes[0]).toMatchObject({ details: [{ path: 'transaction_id' }] });
      expect(await harness.logItems()).toEqual([]);
      expect(harness.sent).toEqual([]);
    });
  });

  describe('falls back to the books for a user the cache does not hold', () => {
    it('seeds the cache from Aurora and holds against the seeded account', async () => {
      // Prepare
      harness = await createValidatorHarness({ clock });
      await harness.seedBooks({ user_id: 'u-1', balance: 10_000, per_transaction_limit: 5_000 });

      // Act
      const outcome = await harness.deps.authorize(http(request()));

      // Assess
      expect(outcome).toMatchObject({
        type: 'decided',
        decision: { status: 'PERMITTED', remaining_credit: 7_500 },
      });
      expect(await harness.cacheItem('u-1')).toEqual({
        pk: 'acme#u-1',
        partner_id: 'acme',
        user_id: 'u-1',
        available: 7_500,
        pending: 2_500,
        version: 1,
        account_status: 'ACTIVE',
        currency: 'USD',
        per_transaction_limit: 5_000,
        last_op: { key: 'tx-1', attempt: 1, kind: 'HOLD', amount: 2_500, at: NOW.toISOString() },
      });
    });

    it('applies the books account rules (suspended, no balance row)', async () => {
      // Prepare
      harness = await createValidatorHarness({ clock });
      await harness.seedBooks({ user_id: 'u-1', balance: 10_000, status: 'SUSPENDED' });
      await harness.seedBooks({ user_id: 'u-2', balance: null });

      // Act
      const suspended = await harness.deps.authorize(http(request()));
      const empty = await harness.deps.authorize(
        http(request({ transaction_id: 'tx-2', user_id: 'u-2' })),
      );

      // Assess
      expect(suspended).toMatchObject({
        decision: { status: 'REJECTED', reason: 'ACCOUNT_SUSPENDED' },
      });
      expect(empty).toMatchObject({
        decision: { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS', remaining_credit: 0 },
      });
      expect(await harness.cacheItem('u-2')).toMatchObject({ available: 0, version: 0 });
    });

    it('seeds once under concurrent first requests, and every hold lands on that one item', async () => {
      // Prepare
      const seeds: SeedOutcome[] = [];
      harness = await createValidatorHarness({
        clock,
        wrapStores: (stores) => ({
          ...stores,
          accounts: {
            read: (partnerId, userId) => stores.accounts.read(partnerId, userId),
            apply: (partnerId, plan) => stores.accounts.apply(partnerId, plan),
            seed: async (partnerId, account) => {
              const outcome = await stores.accounts.seed(partnerId, account);
              seeds.push(outcome);
              return outcome;
            },
          } satisfies CreditAccountCache,
        }),
      });
      await harness.seedBooks({ user_id: 'u-1', balance: 10_000 });
      const amounts = Array.from({ length: 20 }, (_, index) => 100 + index * 37);

      // Act
      const outcomes = await Promise.all(
        amounts.map((cents, index) =>
          harness.deps.authorize(
            http(request({ transaction_id: `tx-${index}`, amount: cents / 100 })),
          ),
        ),
      );

      // Assess
      expect(seeds.filter((outcome) => outcome === 'seeded')).toHaveLength(1);
      const permitted = outcomes.flatMap((outcome, index) =>
        outcome.type === 'decided' && outcome.decision.status === 'PERMITTED'
          ? [amounts[index] ?? 0]
          : [],
      );
      const decided = outcomes.filter((outcome) => outcome.type === 'decided');
      const item = await harness.cacheItem('u-1');
      expect(item).toMatchObject({
        available: 10_000 - permitted.reduce((sum, cents) => sum + cents, 0),
        version: permitted.length,
      });
      expect(await harness.logItems()).toHaveLength(decided.length);
    });
  });

  describe('answers a used transaction_id from the log', () => {
    it('replays the stored decision for the same request, even after the account changed', async () => {
      // Prepare: the first request takes all the credit, so deciding again would reject
      harness = await createValidatorHarness({ clock });
      await harness.seedCache({ user_id: 'u-1', available: 2_500, version: 0 });
      const first = await harness.deps.authorize(http(request({ amount: 25 }), 'acme'));

      // Act: "25" and "25.00" are the same request
      const again = await harness.deps.authorize(http(request({ amount: '25.00' }), 'acme'));

      // Assess
      expect(first).toMatchObject({
        type: 'decided',
        replay: false,
        decision: { status: 'PERMITTED' },
      });
      expect(again).toEqual({ ...first, replay: true });
      expect(await harness.cacheItem('u-1')).toMatchObject({ available: 0, version: 1 });
      expect(await harness.logItems()).toHaveLength(1);
    });

    it('replays a REJECT too (the Put alone meets the id condition)', async () => {
      // Prepare
      harness = await createValidatorHarness({ clock });
      await harness.seedCache({ user_id: 'u-1', available: 100, version: 0 });
      const first = await harness.deps.authorize(http(request()));
      await harness.seedCache({ user_id: 'u-1', available: 1_000_000, version: 9 });

      // Act
      const again = await harness.deps.authorize(http(request()));

      // Assess
      expect(first).toMatchObject({
        decision: { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' },
      });
      expect(again).toEqual({ ...first, replay: true });
      expect(await harness.cacheItem('u-1')).toMatchObject({ available: 1_000_000, version: 9 });
    });

    it.each([
      ['amount', { amount: '25.01' }, 'acme'],
      ['user_id', { user_id: 'u-2' }, 'acme'],
      ['currency', { currency: 'USD' }, 'acme'],
      ['callback_url', { callback_url: 'https://hooks.acme.example/other' }, 'acme'],
    ] as const)(
      'calls a request differing in its %s a duplicate, and changes nothing',
      async (_name, change, partner) => {
        // Prepare
        harness = await createValidatorHarness({ clock });
        await harness.seedCache({ user_id: 'u-1', available: 10_000, version: 0 });
        await harness.seedCache({ user_id: 'u-2', available: 10_000, version: 0 });
        await harness.deps.authorize(http(request(), 'acme'));

        // Act
        const outcome = await harness.deps.authorize(http(request(change), partner));

        // Assess
        expect(outcome).toEqual({ type: 'duplicate', transaction_id: 'tx-1' });
        expect(await harness.logItems()).toMatchObject([
          { amount: 2_500, user_id: 'u-1', partner_id: 'acme' },
        ]);
        expect(await harness.cacheItem('u-1')).toMatchObject({ available: 7_500, version: 1 });
        expect(await harness.cacheItem('u-2')).toMatchObject({ available: 10_000, version: 0 });
      },
    );

    it("decides another partner's request under the same transaction_id and user_id on that partner's own account", async () => {
      // Prepare: acme and globex both have a user u-1; acme decides tx-1 first
      harness = await createValidatorHarness({ clock });
      await harness.seedCache({
        user_id: 'u-1',
        available: 10_000,
        version: 0,
        partner_id: 'acme',
      });
      await harness.seedCache({
        user_id: 'u-1',
        available: 3_000,
        version: 0,
        partner_id: 'globex',
      });
      await harness.deps.authorize(http(request(), 'acme'));

      // Act
      const outcome = await harness.deps.authorize(http(request(), 'globex'));

      // Assess
      expect(outcome).toMatchObject({
        type: 'decided',
        replay: false,
        decision: { status: 'PERMITTED', remaining_credit: 500 },
      });
      expect(
        (await harness.logItems())
          .map((item) => [item.partner_id, item.transaction_id, item.remaining_credit])
          .sort(),
      ).toEqual([
        ['acme', 'tx-1', 7_500],
        ['globex', 'tx-1', 500],
      ]);
      expect(await harness.cacheItem('u-1', 'acme')).toMatchObject({
        available: 7_500,
        version: 1,
      });
      expect(await harness.cacheItem('u-1', 'globex')).toMatchObject({
        available: 500,
        version: 1,
      });
    });

    it('answers a user only another partner has as UNKNOWN_USER with no credit, and touches neither account', async () => {
      // Prepare
      harness = await createValidatorHarness({ clock });
      await harness.seedCache({
        user_id: 'u-9',
        available: 10_000,
        version: 0,
        partner_id: 'globex',
      });
      await harness.seedBooks({ user_id: 'u-8', balance: 10_000, partner_id: 'globex' });

      // Act
      const cached = await harness.deps.authorize(
        http(request({ transaction_id: 'tx-9', user_id: 'u-9' }), 'acme'),
      );
      const booked = await harness.deps.authorize(
        http(request({ transaction_id: 'tx-8', user_id: 'u-8' }), 'acme'),
      );

      // Assess
      for (const outcome of [cached, booked]) {
        expect(outcome).toMatchObject({
          type: 'decided',
          decision: { status: 'REJECTED', reason: 'UNKNOWN_USER', remaining_credit: 0 },
        });
      }
      expect(await harness.cacheItem('u-9', 'globex')).toMatchObject({
        available: 10_000,
        version: 0,
      });
      expect(await harness.cacheItem('u-8', 'globex')).toBeUndefined();
      expect(await harness.cacheItem('u-8', 'acme')).toBeUndefined();
    });
  });

  describe('when other holds land on the account at the same moment', () => {
    /** Spends on the real item right before each hold is sent: the condition sees it, nothing is read first. */
    const spendBeforeHold =
      (amount: number) =>
      (
        stores: ValidatorHarness['stores'],
        doc: ValidatorHarness['doc'],
        tables: ValidatorHarness['dynamo']['tables'],
      ) => ({
        ...stores,
        accounts: {
          seed: (partnerId, account) => stores.accounts.seed(partnerId, account),
          read: (partnerId, userId) => stores.accounts.read(partnerId, userId),
          apply: async (partnerId, plan) => {
            await doc.send(
              new UpdateCommand({
                TableName: tables.creditCache,
                Key: itemKey(partnerId, plan.user_id),
                UpdateExpression: 'SET available = available - :amount ADD version :one',
                ExpressionAttributeValues: { ':amount': amount, ':one': 1 },
              }),
            );
            return stores.accounts.apply(partnerId, plan);
          },
        } satisfies CreditAccountCache,
      });

    it('decides on what the store has at the instant of the write: never on stale credit, never a retry', async () => {
      // Prepare: 3000 available, 2500 asked; a concurrent 1000 hold lands just before ours
      harness = await createValidatorHarness({ clock, wrapStores: spendBeforeHold(1_000) });
      await harness.seedCache({ user_id: 'u-1', available: 3_000, version: 0 });

      // Act
      const outcome = await harness.deps.authorize(http(request()));

      // Assess: the refusal is named from the image the condition saw (ALL_OLD)
      expect(outcome).toMatchObject({
        type: 'decided',
        decision: { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS', remaining_credit: 2_000 },
      });
      expect(await harness.cacheItem('u-1')).toMatchObject({ available: 2_000, version: 1 });
      // One conditional write of ours (the other is the interfering writer's, unconditional)
      const holds = harness.sent.filter(
        (sent) =>
          sent.operation === 'UpdateItem' &&
          sent.body.TableName === harness.dynamo.tables.creditCache,
      );
      expect(holds.filter((sent) => sent.body.ConditionExpression !== undefined)).toHaveLength(1);
    });

    it('permits with the remaining credit its own write produced, whatever landed before it', async () => {
      // Prepare
      harness = await createValidatorHarness({ clock, wrapStores: spendBeforeHold(1) });
      await harness.seedCache({ user_id: 'u-1', available: 10_000, version: 0 });

      // Act
      const outcome = await harness.deps.authorize(http(request()));

      // Assess
      expect(outcome).toMatchObject({
        type: 'decided',
        replay: false,
        decision: { status: 'PERMITTED', remaining_credit: 7_499 },
      });
      expect(await harness.cacheItem('u-1')).toMatchObject({
        available: 7_499,
        pending: 2_500,
        version: 2,
      });
    });
  });
});
