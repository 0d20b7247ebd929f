import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PermanentStoreError, type CreditAccount } from '@creditline/domain';
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
      now: () => new Date('2026-11-25T16:28:00Z'),
    });
  const account = (user_id: string, available = 5000): CreditAccount => ({
    user_id,
    available,
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
      version: 0,
      status: 'ACTIVE',
      currency: 'USD',
      per_transaction_limit: null,
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
});
