import { itemKey } from '../definitions/tenancy.js';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DecisionRecord, Hold } from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTransactionLogStore } from './transaction-log-store.js';

describe('TransactionLog store', () => {
  let dynamo: TestDynamo;
  beforeAll(async () => {
    dynamo = await createTestDynamo();
  });
  const store = () => createTransactionLogStore(dynamo.doc, dynamo.tables);

  const record = (
    transaction_id: string,
    user_id: string,
    amount: number,
    overrides: Partial<DecisionRecord> = {},
  ): DecisionRecord => ({
    transaction_id,
    user_id,
    amount,
    currency: 'USD',
    status: 'PERMITTED',
    reason: null,
    remaining_credit: 1000 - amount,
    decided_at: '2026-11-25T16:28:00.000Z',
    callback_url: 'https://hooks.acme.example/creditline',
    partner_id: 'acme',
    fingerprint: `fp-${transaction_id}`,
    ...overrides,
  });
  const hold = (user_id: string, amount: number, expected_version: number): Hold => ({
    user_id,
    amount,
    expected_version,
  });
  /** acme's items; the key attributes are checked where they matter, and left out of the comparisons below. */
  const seedAccount = (item: Record<string, unknown>) =>
    dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: { ...itemKey('acme', String(item['user_id'])), ...item },
      }),
    );
  const withoutKeys = (item: Record<string, unknown> | undefined) => {
    if (item === undefined) return undefined;
    return Object.fromEntries(
      Object.entries(item).filter(([name]) => name !== 'pk' && name !== 'account_key'),
    );
  };
  const cacheItem = async (user_id: string) =>
    withoutKeys(
      (
        await dynamo.doc.send(
          new GetCommand({
            TableName: dynamo.tables.creditCache,
            Key: itemKey('acme', user_id),
            ConsistentRead: true,
          }),
        )
      ).Item,
    );
  const logItem = async (transaction_id: string) =>
    withoutKeys(
      (
        await dynamo.doc.send(
          new GetCommand({
            TableName: dynamo.tables.transactionLog,
            Key: itemKey('acme', transaction_id),
            ConsistentRead: true,
          }),
        )
      ).Item,
    );

  it('commits a PERMIT as the decision item plus the hold, in one write', async () => {
    // Prepare
    await seedAccount({ user_id: 'u-permit', available: 1000, version: 3 });

    // Act
    const outcome = await store().commit(
      record('tx-permit', 'u-permit', 250),
      hold('u-permit', 250, 3),
    );

    // Assess
    expect(outcome).toBe('committed');
    expect(await cacheItem('u-permit')).toEqual({
      user_id: 'u-permit',
      available: 750,
      version: 4,
      updated_at: '2026-11-25T16:28:00.000Z',
    });
    expect(await logItem('tx-permit')).toEqual({
      ...record('tx-permit', 'u-permit', 250),
      settlement_state: 'PENDING',
    });
  });

  it('holds against an item a deposit created (no version attribute yet) as version 0', async () => {
    // Prepare
    await seedAccount({ user_id: 'u-deposit', available: 500 });

    // Act
    const outcome = await store().commit(
      record('tx-deposit', 'u-deposit', 200),
      hold('u-deposit', 200, 0),
    );

    // Assess
    expect(outcome).toBe('committed');
    expect(await cacheItem('u-deposit')).toMatchObject({ available: 300, version: 1 });
  });

  it('commits a REJECT as the decision item alone, leaving the account untouched', async () => {
    // Prepare
    await seedAccount({ user_id: 'u-reject', available: 10, version: 1 });
    const rejected = record('tx-reject', 'u-reject', 50, {
      status: 'REJECTED',
      reason: 'INSUFFICIENT_FUNDS',
      remaining_credit: 10,
    });

    // Act
    const outcome = await store().commit(rejected, null);

    // Assess
    expect(outcome).toBe('committed');
    expect(await cacheItem('u-reject')).toEqual({ user_id: 'u-reject', available: 10, version: 1 });
    expect(await logItem('tx-reject')).toMatchObject({
      status: 'REJECTED',
      reason: 'INSUFFICIENT_FUNDS',
      settlement_state: 'PENDING',
    });
  });

  it('reports a moved version as contended and writes nothing', async () => {
    // Prepare
    await seedAccount({ user_id: 'u-moved', available: 1000, version: 5 });

    // Act
    const outcome = await store().commit(
      record('tx-moved', 'u-moved', 100),
      hold('u-moved', 100, 4),
    );

    // Assess
    expect(outcome).toBe('contended');
    expect(await logItem('tx-moved')).toBeUndefined();
    expect(await cacheItem('u-moved')).toMatchObject({ available: 1000, version: 5 });
  });

  it('reports contended when the account holds less than the amount, even at the read version', async () => {
    // Prepare: a caller passing a version it did not read must still not overspend
    await seedAccount({ user_id: 'u-short', available: 40, version: 2 });

    // Act
    const outcome = await store().commit(
      record('tx-short', 'u-short', 100),
      hold('u-short', 100, 2),
    );

    // Assess
    expect(outcome).toBe('contended');
    expect(await cacheItem('u-short')).toMatchObject({ available: 40, version: 2 });
  });

  it('reports contended when the account item is gone', async () => {
    await expect(
      store().commit(record('tx-gone', 'u-gone', 1), hold('u-gone', 1, 0)),
    ).resolves.toBe('contended');
    expect(await cacheItem('u-gone')).toBeUndefined();
  });

  it.each([
    { kind: 'PERMIT', withHold: true },
    { kind: 'REJECT', withHold: false },
  ])(
    'reports a used transaction_id as duplicate for a $kind, before any version problem',
    async ({ withHold }) => {
      // Prepare
      const id = `tx-dup-${String(withHold)}`;
      await seedAccount({ user_id: 'u-dup', available: 1000, version: 0 });
      await store().commit(record(id, 'u-dup', 10), hold('u-dup', 10, 0));

      // Act: the second attempt's version is stale too; the id decides the answer
      const outcome = await store().commit(
        record(id, 'u-dup', 20, { fingerprint: 'other' }),
        withHold ? hold('u-dup', 20, 0) : null,
      );

      // Assess
      expect(outcome).toBe('duplicate');
      expect(await logItem(id)).toMatchObject({ amount: 10, fingerprint: `fp-${id}` });
      expect(await cacheItem('u-dup')).toMatchObject({ available: 990, version: 1 });
    },
  );

  it('finds a stored decision as the record it was committed from', async () => {
    // Prepare
    await seedAccount({ user_id: 'u-find', available: 100, version: 0 });
    const committed = record('tx-find', 'u-find', 60);
    await store().commit(committed, hold('u-find', 60, 0));
    // The publication adapters add their state later; it is not part of the decision.
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.transactionLog,
        Key: itemKey('acme', 'tx-find'),
        UpdateExpression: 'REMOVE settlement_state SET settled_at = :at',
        ExpressionAttributeValues: { ':at': '2026-11-25T16:29:00.000Z' },
      }),
    );

    // Act
    const found = await store().find('acme', 'tx-find');
    const missing = await store().find('acme', 'tx-none');
    const otherPartners = await store().find('globex', 'tx-find');

    // Assess
    expect(found).toEqual(committed);
    expect(missing).toBeNull();
    expect(otherPartners).toBeNull();
  });

  it('of concurrent holds on one version exactly one commits', async () => {
    // Prepare
    await seedAccount({ user_id: 'u-race', available: 10_000, version: 7 });

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        store().commit(record(`tx-race-${index}`, 'u-race', 100), hold('u-race', 100, 7)),
      ),
    );

    // Assess
    expect(outcomes.filter((outcome) => outcome === 'committed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'contended')).toHaveLength(9);
    expect(await cacheItem('u-race')).toMatchObject({ available: 9_900, version: 8 });
  });
});
