import { itemKey } from '../definitions/tenancy.js';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PermanentStoreError } from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTransactionLogPublication,
  type TransactionLogPublication,
} from './transaction-log-publication.js';

describe('TransactionLog publication state', () => {
  let dynamo: TestDynamo;
  let publication: TransactionLogPublication;

  const putDecision = (transactionId: string) =>
    dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.transactionLog,
        Item: {
          ...itemKey('acme', transactionId),
          account_key: 'acme#u1',
          partner_id: 'acme',
          transaction_id: transactionId,
          user_id: 'u1',
          amount: 100,
          status: 'PERMITTED',
          reason: null,
          remaining_credit: 900,
          decided_at: '2026-11-25T16:08:00.000Z',
          fingerprint: 'f',
          settlement_state: 'PENDING#00',
        },
      }),
    );
  const itemOf = async (transactionId: string): Promise<Record<string, unknown> | undefined> =>
    (
      await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.transactionLog,
          Key: itemKey('acme', transactionId),
          ConsistentRead: true,
        }),
      )
    ).Item;

  beforeAll(async () => {
    dynamo = await createTestDynamo();
    publication = createTransactionLogPublication(dynamo.doc, dynamo.tables.transactionLog);
  });

  it('marks a decision settled: it leaves the unsettled index and keeps its first settled_at', async () => {
    // Prepare
    await putDecision('tx-s1');
    await putDecision('tx-s2');

    // Act
    await publication.markSettled('acme', 'tx-s1', '2026-11-25T16:08:02.000Z');
    await publication.markSettled('acme', 'tx-s1', '2026-11-25T16:09:00.000Z');

    // Assess
    const item = await itemOf('tx-s1');
    expect(item?.['settlement_state']).toBeUndefined();
    expect(item?.['settled_at']).toBe('2026-11-25T16:08:02.000Z');
    const { Items = [] } = await dynamo.doc.send(
      new QueryCommand({
        TableName: dynamo.tables.transactionLog,
        IndexName: 'unsettled',
        KeyConditionExpression: 'settlement_state = :pending',
        ExpressionAttributeValues: { ':pending': 'PENDING#00' },
      }),
    );
    expect(Items.map((unsettled): unknown => unsettled['transaction_id'])).toEqual(['tx-s2']);
  });

  it('refuses to settle an item that does not exist rather than creating one', async () => {
    await expect(
      publication.markSettled('acme', 'tx-missing', '2026-11-25T16:08:02.000Z'),
    ).rejects.toBeInstanceOf(PermanentStoreError);
    expect(await itemOf('tx-missing')).toBeUndefined();
  });

  it('records every delivery attempt: count, last status, delivered_at, dead_lettered cleared on success', async () => {
    // Prepare
    await putDecision('tx-d1');

    // Act
    const first = await publication.recordDeliveryAttempt('acme', 'tx-d1', {
      at: '2026-11-25T16:08:03.000Z',
      status: 503,
      delivered: false,
      deadLettered: false,
    });
    const second = await publication.recordDeliveryAttempt('acme', 'tx-d1', {
      at: '2026-11-25T16:08:40.000Z',
      status: 'TIMEOUT',
      delivered: false,
      deadLettered: true,
    });
    const third = await publication.recordDeliveryAttempt('acme', 'tx-d1', {
      at: '2026-11-25T17:00:00.000Z',
      status: 200,
      delivered: true,
      deadLettered: false,
    });

    // Assess
    expect(first).toEqual({
      attempts: 1,
      last_status: 503,
      last_attempt_at: '2026-11-25T16:08:03.000Z',
      delivered_at: null,
      dead_lettered: false,
    });
    expect(second).toMatchObject({
      attempts: 2,
      last_status: 'TIMEOUT',
      dead_lettered: true,
      delivered_at: null,
    });
    expect(third).toEqual({
      attempts: 3,
      last_status: 200,
      last_attempt_at: '2026-11-25T17:00:00.000Z',
      delivered_at: '2026-11-25T17:00:00.000Z',
      dead_lettered: false,
    });
    expect((await publication.storedDecision('acme', 'tx-d1'))?.delivery).toEqual(third);
  });

  it('counts concurrent first attempts without losing one', async () => {
    // Prepare
    await putDecision('tx-d2');

    // Act
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        publication.recordDeliveryAttempt('acme', 'tx-d2', {
          at: `2026-11-25T16:08:0${index}.000Z`,
          status: 500,
          delivered: false,
          deadLettered: false,
        }),
      ),
    );

    // Assess
    expect((await publication.storedDecision('acme', 'tx-d2'))?.delivery?.attempts).toBe(6);
  });

  it("reads the stored decision by partner and id, strongly consistent; another partner's id is absent", async () => {
    await putDecision('tx-r1');
    expect(await publication.storedDecision('acme', 'tx-r1')).toEqual({
      decision: {
        transaction_id: 'tx-r1',
        user_id: 'u1',
        amount: 100,
        status: 'PERMITTED',
        reason: null,
        remaining_credit: 900,
        decided_at: '2026-11-25T16:08:00.000Z',
        partner_id: 'acme',
        fingerprint: 'f',
      },
      delivery: undefined,
    });
    expect(await publication.storedDecision('globex', 'tx-r1')).toBeNull();
    await expect(
      publication.markSettled('globex', 'tx-r1', '2026-11-25T16:08:02.000Z'),
    ).rejects.toBeInstanceOf(PermanentStoreError);
  });

  it('has no delivery state before the first attempt, and refuses attempts on a missing item', async () => {
    await putDecision('tx-d3');
    expect((await publication.storedDecision('acme', 'tx-d3'))?.delivery).toBeUndefined();
    await expect(
      publication.recordDeliveryAttempt('acme', 'tx-nope', {
        at: '2026-11-25T16:08:03.000Z',
        status: 200,
        delivered: true,
        deadLettered: false,
      }),
    ).rejects.toBeInstanceOf(PermanentStoreError);
    expect(await itemOf('tx-nope')).toBeUndefined();
  });
});
