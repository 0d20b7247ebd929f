import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createReconciliationRepairStore } from './reconciliation-repairs.js';
import { unsettledShardKey } from './transaction-log-item.js';

const at = '2026-11-25T03:00:00.000Z';

describe('reconciliation repair store (DynamoDB Local)', () => {
  let dynamo: TestDynamo;

  beforeEach(async () => {
    dynamo = await createTestDynamo();
  });

  // The repair store names accounts by their key (`partner#user_id` in production, as the scans
  // report them); these cache tests use the item's user_id as its key and leave `pk` out of comparisons.
  const cacheItem = async (userId: string) => {
    const item = (
      await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.creditCache,
          Key: { pk: userId },
          ConsistentRead: true,
        }),
      )
    ).Item;
    if (item === undefined) return undefined;
    return Object.fromEntries(Object.entries(item).filter(([name]) => name !== 'pk'));
  };
  const putCache = (item: Record<string, unknown>) =>
    dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: { pk: item['user_id'], ...item },
      }),
    );

  it('rebuilds an item it read unchanged: available set, version bumped, other attributes kept', async () => {
    // Prepare
    await putCache({
      user_id: 'u1',
      available: 90,
      version: 4,
      account_status: 'SUSPENDED',
      currency: 'EUR',
    });
    const store = createReconciliationRepairStore(dynamo.doc, dynamo.tables);
    const seen = await store.cacheItem('u1');

    // Act
    const written = await store.rebuildCacheItem({
      user_id: 'u1',
      seen: seen ?? { user_id: 'u1', available: 0, version: 0 },
      available: 100,
      at,
    });

    // Assess
    expect(seen).toEqual({ user_id: 'u1', available: 90, version: 4 });
    expect(written).toBe(true);
    expect(await cacheItem('u1')).toEqual({
      user_id: 'u1',
      available: 100,
      version: 5,
      account_status: 'SUSPENDED',
      currency: 'EUR',
      updated_at: at,
    });
  });

  it('rebuilds an item that has no version yet (only deposits touched it)', async () => {
    // Prepare
    await putCache({ user_id: 'u1', available: 90 });
    const store = createReconciliationRepairStore(dynamo.doc, dynamo.tables);
    const seen = await store.cacheItem('u1');

    // Act
    const written =
      seen !== null && (await store.rebuildCacheItem({ user_id: 'u1', seen, available: 100, at }));

    // Assess
    expect(seen).toEqual({ user_id: 'u1', available: 90, version: null });
    expect(written).toBe(true);
    expect(await cacheItem('u1')).toEqual({
      user_id: 'u1',
      available: 100,
      version: 1,
      updated_at: at,
    });
  });

  it('never overwrites a hold that lands after the read', async () => {
    // Prepare
    await putCache({ user_id: 'u1', available: 90, version: 4 });
    const store = createReconciliationRepairStore(dynamo.doc, dynamo.tables);
    const seen = await store.cacheItem('u1');
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.creditCache,
        Key: { pk: 'u1' },
        UpdateExpression: 'SET available = available - :amount, version = version + :one',
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':amount': 30, ':one': 1, ':v': 4 },
      }),
    );

    // Act
    const written =
      seen !== null && (await store.rebuildCacheItem({ user_id: 'u1', seen, available: 100, at }));

    // Assess
    expect(written).toBe(false);
    expect(await cacheItem('u1')).toEqual({ user_id: 'u1', available: 60, version: 5 });
  });

  it('never overwrites a deposit credit (ADD without a version bump) that lands after the read', async () => {
    // Prepare
    await putCache({ user_id: 'u1', available: 90, version: 4 });
    const store = createReconciliationRepairStore(dynamo.doc, dynamo.tables);
    const seen = await store.cacheItem('u1');
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.creditCache,
        Key: { pk: 'u1' },
        UpdateExpression: 'ADD available :sum',
        ExpressionAttributeValues: { ':sum': 25 },
      }),
    );

    // Act
    const written =
      seen !== null && (await store.rebuildCacheItem({ user_id: 'u1', seen, available: 100, at }));

    // Assess
    expect(written).toBe(false);
    expect(await cacheItem('u1')).toEqual({ user_id: 'u1', available: 115, version: 4 });
  });

  it('lets exactly one of two concurrent rebuilds from the same read win', async () => {
    // Prepare
    await putCache({ user_id: 'u1', available: 90, version: 4 });
    const store = createReconciliationRepairStore(dynamo.doc, dynamo.tables);
    const seen = await store.cacheItem('u1');
    if (seen === null) throw new Error('planted item missing');

    // Act
    const outcomes = await Promise.all([
      store.rebuildCacheItem({ user_id: 'u1', seen, available: 100, at }),
      store.rebuildCacheItem({ user_id: 'u1', seen, available: 200, at }),
    ]);

    // Assess
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect((await cacheItem('u1'))?.version).toBe(5);
  });

  it("lists a user's pending permits only (not settled ones, not rejections, not other users')", async () => {
    // Prepare
    const put = (id: string, userId: string, status: 'PERMITTED' | 'REJECTED', pending: boolean) =>
      dynamo.doc.send(
        new PutCommand({
          TableName: dynamo.tables.transactionLog,
          Item: {
            pk: `acme#${id}`,
            account_key: `acme#${userId}`,
            partner_id: 'acme',
            transaction_id: id,
            user_id: userId,
            amount: 40,
            status,
            reason: status === 'PERMITTED' ? null : 'INSUFFICIENT_FUNDS',
            remaining_credit: 10,
            decided_at: `2026-11-25T01:00:0${id.slice(1)}.000Z`,
            fingerprint: 'f',
            ...(pending ? { settlement_state: unsettledShardKey(id) } : { settled_at: at }),
          },
        }),
      );
    await Promise.all([
      put('t1', 'u1', 'PERMITTED', true),
      put('t2', 'u1', 'PERMITTED', false),
      put('t3', 'u1', 'REJECTED', true),
      put('t4', 'u2', 'PERMITTED', true),
    ]);
    const store = createReconciliationRepairStore(dynamo.doc, dynamo.tables);

    // Act
    const permits = await store.pendingPermits('acme#u1');

    // Assess
    expect(permits).toEqual([
      {
        transaction_id: 'acme#t1',
        user_id: 'acme#u1',
        amount: 40,
        status: 'PERMITTED',
        decided_at: '2026-11-25T01:00:01.000Z',
      },
    ]);
  });

  it('reads a decision whole, and nothing for an unknown id', async () => {
    // Prepare
    const item = {
      pk: 'acme#t1',
      account_key: 'acme#u1',
      partner_id: 'acme',
      transaction_id: 't1',
      user_id: 'u1',
      amount: 40,
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 10,
      decided_at: '2026-11-25T01:00:00.000Z',
      fingerprint: 'f',
      callback_url: 'https://partner.example/cb',
      settlement_state: unsettledShardKey('t1'),
      delivery: {
        attempts: 8,
        last_status: 500,
        last_attempt_at: at,
        delivered_at: null,
        dead_lettered: true,
      },
    };
    await dynamo.doc.send(new PutCommand({ TableName: dynamo.tables.transactionLog, Item: item }));
    const store = createReconciliationRepairStore(dynamo.doc, dynamo.tables);

    // Act
    const found = await store.decision('acme#t1');
    const missing = await store.decision('globex#t1');

    // Assess
    // An item without a state is a decision (written before claims existed), at its first attempt
    expect(found).toEqual({ ...item, state: 'DECIDED', attempt: 1 });
    expect(missing).toBeNull();
  });

  it('restores a DepositEvents item once; a second restore finds it there', async () => {
    // Prepare
    const item = {
      partner_id: 'acme',
      deposit_id: 'd1',
      user_id: 'u1',
      amount: 500,
      deposited_at: '2026-11-24T09:00:00.000Z',
      source_key: 'inbox/a.csv',
      source_line: 3,
      credited_at: '2026-11-24T09:00:05.000Z',
    };
    const store = createReconciliationRepairStore(dynamo.doc, dynamo.tables);

    // Act
    const first = await store.restoreDepositEvent(item);
    const second = await store.restoreDepositEvent({ ...item, amount: 999 });

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(await store.depositEvent('acme#d1')).toEqual({ pk: 'acme#d1', ...item });
    expect(await store.depositEvent('acme#d2')).toBeNull();
    expect(await store.depositEvent('globex#d1')).toBeNull();
  });
});
