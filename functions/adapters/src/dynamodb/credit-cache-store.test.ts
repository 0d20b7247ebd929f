import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  PermanentStoreError,
  planHold,
  type AuthorizationRequest,
  type CreditAccount,
} from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCreditCacheStore } from './credit-cache-store.js';

describe('CreditCache store', () => {
  let dynamo: TestDynamo;
  beforeAll(async () => {
    dynamo = await createTestDynamo();
  });
  const store = () =>
    createCreditCacheStore(dynamo.doc, dynamo.tables.creditCache, {
      clock: { now: () => new Date('2026-11-25T16:28:00Z') },
    });
  const account = (user_id: string, available = 5000): CreditAccount => ({
    user_id,
    available,
    pending: 0,
    version: 0,
    status: 'ACTIVE',
    currency: 'USD',
    per_transaction_limit: null,
  });

  it('reads an item as an account, with defaults for what a deposit-created item lacks', async () => {
    // Prepare: a deposit creates the item with `ADD available` alone
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: { pk: 'acme#dep-1', partner_id: 'acme', user_id: 'dep-1', available: 1234 },
      }),
    );

    // Act
    const read = await store().read('acme', 'dep-1');

    // Assess
    expect(read).toEqual({
      user_id: 'dep-1',
      available: 1234,
      pending: 0,
      version: 0,
      status: 'ACTIVE',
      currency: 'USD',
      per_transaction_limit: null,
      // a deposit-created item: controls never set, nothing tallied
      controlled: {
        stored: {
          status: 'ACTIVE',
          currency: 'USD',
          max_per_transaction: null,
          velocity_limits: [],
          balance_monitors: [],
          version: 0,
        },
        usage: { daily: null, weekly: null, monthly: null, rolling_24h: null, lifetime: null },
      },
    });
  });

  it('reads a missing item as null', async () => {
    await expect(store().read('acme', 'nobody')).resolves.toBeNull();
  });

  it('seeds an absent account once; a second seed finds it and changes nothing', async () => {
    // Act
    const first = await store().seed('acme', account('seed-1', 700));
    const second = await store().seed('acme', account('seed-1', 999_999));

    // Assess
    expect(first).toBe('seeded');
    expect(second).toBe('exists');
    const { Item } = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tables.creditCache, Key: { pk: 'acme#seed-1' } }),
    );
    expect(Item).toEqual({
      pk: 'acme#seed-1',
      partner_id: 'acme',
      user_id: 'seed-1',
      available: 700,
      pending: 0,
      version: 0,
      account_status: 'ACTIVE',
      currency: 'USD',
      per_transaction_limit: null,
      updated_at: '2026-11-25T16:28:00.000Z',
    });
  });

  it('of concurrent seeds of one account exactly one creates it', async () => {
    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        store().seed('acme', account('race-1', 100 + index)),
      ),
    );

    // Assess
    expect(outcomes.filter((outcome) => outcome === 'seeded')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'exists')).toHaveLength(11);
  });

  it("keeps two partners' users of one id apart: each reads and seeds only its own", async () => {
    // Act
    await store().seed('acme', account('shared-1', 100));
    const other = await store().seed('globex', account('shared-1', 900));

    // Assess
    expect(other).toBe('seeded');
    expect(await store().read('acme', 'shared-1')).toMatchObject({ available: 100 });
    expect(await store().read('globex', 'shared-1')).toMatchObject({ available: 900 });
    expect(await store().read('initech', 'shared-1')).toBeNull();
  });

  it('refuses a malformed item instead of deciding on it', async () => {
    // Prepare
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: { pk: 'acme#bad-1', partner_id: 'acme', user_id: 'bad-1', available: '12.5' },
      }),
    );

    // Act / Assess
    await expect(store().read('acme', 'bad-1')).rejects.toBeInstanceOf(PermanentStoreError);
  });

  describe('apply: one conditional UpdateItem per operation, the rules as its condition', () => {
    const at = '2026-11-25T16:28:00.000Z';
    const hold = (request: Partial<AuthorizationRequest> & { user_id: string }, attempt = 1) => {
      const plan = planHold(
        { transaction_id: `tx-${request.user_id}`, amount: 100, ...request },
        { key: `tx-${request.user_id}`, attempt, at },
      );
      if (plan === null) throw new Error('no plan');
      return plan;
    };
    /** An acme item: `pk` and `partner_id` added, compared without them below. */
    const put = (item: Record<string, unknown> & { user_id: string }) =>
      dynamo.doc.send(
        new PutCommand({
          TableName: dynamo.tables.creditCache,
          Item: { pk: `acme#${item.user_id}`, partner_id: 'acme', ...item },
        }),
      );

    it('applies a hold and returns the item it produced, stamped', async () => {
      // Prepare: an item a deposit created (no pending, status or version yet)
      await put({ user_id: 'ap-1', available: 1_000 });

      // Act
      const outcome = await store().apply('acme', hold({ user_id: 'ap-1', amount: 250 }));

      // Assess
      const last_op = { key: 'tx-ap-1', attempt: 1, kind: 'HOLD', amount: 250, at };
      expect(outcome).toMatchObject({
        kind: 'applied',
        account: { ...account('ap-1', 750), pending: 250, version: 1, last_op },
      });
    });

    it.each([
      ['a suspended account', { account_status: 'SUSPENDED' }, {}],
      ['another currency', { currency: 'EUR' }, { currency: 'USD' }],
      ['an amount above the per-transaction limit', { per_transaction_limit: 99 }, {}],
      ['too little credit', { available: 99 }, {}],
    ])('refuses %s, returning the image the condition saw', async (_name, item, request) => {
      // Prepare
      const userId = `ap-${_name.replace(/[^a-z]/g, '')}`;
      await put({ user_id: userId, available: 1_000, version: 4, ...item });

      // Act
      const outcome = await store().apply('acme', hold({ user_id: userId, ...request }));

      // Assess
      expect(outcome).toMatchObject({ kind: 'refused', account: { user_id: userId, version: 4 } });
      const { Item } = await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.creditCache,
          Key: { pk: `acme#${userId}` },
          ConsistentRead: true,
        }),
      );
      expect(Item).toEqual({
        pk: `acme#${userId}`,
        partner_id: 'acme',
        user_id: userId,
        available: 1_000,
        version: 4,
        ...item,
      });
    });

    it('refuses a hold on a missing item without creating one', async () => {
      await expect(store().apply('acme', hold({ user_id: 'ap-none' }))).resolves.toEqual({
        kind: 'refused',
        account: null,
      });
      await expect(store().read('acme', 'ap-none')).resolves.toBeNull();
    });

    it('serializes concurrent holds on one item: every one applies until the credit runs out, none conflicts', async () => {
      // Prepare
      await put({ user_id: 'ap-hot', available: 2_000, pending: 0, version: 0 });

      // Act: 30 holds of 1.00 on 20.00
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          store().apply('acme', hold({ user_id: 'ap-hot', transaction_id: `tx-${index}` })),
        ),
      );

      // Assess: each applied hold saw its own figures (ALL_NEW), all distinct
      const applied = outcomes.flatMap((outcome) =>
        outcome.kind === 'applied' ? [outcome.account.available] : [],
      );
      expect(applied.sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, index) => index * 100),
      );
      expect(outcomes.filter((outcome) => outcome.kind === 'refused')).toHaveLength(10);
      expect(await store().read('acme', 'ap-hot')).toMatchObject({
        available: 0,
        pending: 2_000,
        version: 20,
      });
    });
  });
});
