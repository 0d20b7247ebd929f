import { itemKey } from '@creditline/adapters/definitions';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createFirehoseClient } from '@creditline/adapters/firehose/firehose-client';
import { createFirehoseWriter } from '@creditline/adapters/firehose/firehose-writer';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
  type RecordedRequest,
} from '@creditline/adapters/testing/aws-json-endpoint';
import { localCredentials, localRegion } from '@creditline/stand-ins';
import {
  createTestDatabase,
  createTestDynamo,
  type TestDatabase,
  type TestDynamo,
} from '@creditline/stand-ins/vitest';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeDependencies } from './composition.js';
import { createHandler } from './create-handler.js';
import fixture from './fixtures/sqs-transaction-decided.json' with { type: 'json' };

const [permitRecord, rejectRecord] = fixture.Records as [SQSRecord, SQSRecord];

/** A copy of a fixture record with another message id and detail fields changed. */
const variant = (
  record: SQSRecord,
  messageId: string,
  detail: Record<string, unknown>,
  eventId?: string,
): SQSRecord => {
  const body = JSON.parse(record.body) as { id: string; detail: Record<string, unknown> };
  return {
    ...record,
    messageId,
    body: JSON.stringify({
      ...body,
      id: eventId ?? body.id,
      detail: { ...body.detail, ...detail },
    }),
  };
};
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const audited = (requests: readonly RecordedRequest[]) =>
  requests.flatMap((request) =>
    (request.body['Records'] as { Data: string }[]).map(
      (record) =>
        JSON.parse(Buffer.from(record.Data, 'base64').toString('utf8')) as Record<string, unknown>,
    ),
  );

describe('TransactionLogger on PostgreSQL', () => {
  let db: TestDatabase;
  let dynamo: TestDynamo;
  let firehose: AwsJsonEndpoint;
  /** Event ids whose audit record the stream refuses. */
  const refusedEventIds = new Set<string>();

  const handlerFor = (doc: DynamoDBDocumentClient = dynamo.doc) =>
    createHandler(
      composeDependencies(
        {
          sql: db.sql,
          doc,
          transactionLogTable: dynamo.tables.transactionLog,
          auditWriter: createFirehoseWriter(
            createFirehoseClient(testClientConfig(firehose.endpoint)),
            'creditline-test-audit',
            {
              maxAttempts: 2,
              sleep: () => Promise.resolve(),
            },
          ),
        },
        {
          logger: new Logger({ logLevel: 'SILENT' }),
          metrics: new Metrics({ namespace: 'test', singleMetric: false }),
        },
        { now: () => new Date('2026-11-25T16:08:05.000Z') },
      ),
    );
  const balanceOf = async (userId: string) =>
    (
      await db.sql.query<{ balance: number }>(
        "SELECT balance FROM credit_balance WHERE partner_id = 'acme' AND user_id = :userId",
        { userId },
      )
    ).rows[0]?.balance;
  const rowsOf = async (transactionId: string) =>
    (
      await db.sql.query(
        'SELECT transaction_id FROM transactions WHERE transaction_id = :transactionId',
        { transactionId },
      )
    ).rows.length;
  const logItem = async (transactionId: string) =>
    (
      await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.transactionLog,
          Key: itemKey('acme', transactionId),
          ConsistentRead: true,
        }),
      )
    ).Item;
  const putLogItem = (record: SQSRecord) => {
    const { detail } = JSON.parse(record.body) as { detail: Record<string, unknown> };
    return dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.transactionLog,
        Item: {
          // Blank optional fields are how the Pipe renders absent ones; the item lacks them.
          ...Object.fromEntries(Object.entries(detail).filter(([, value]) => value !== '')),
          ...itemKey('acme', String(detail['transaction_id'])),
          account_key: `acme#${String(detail['user_id'])}`,
          reason: detail['reason'] || null,
          fingerprint: 'f',
          settlement_state: 'PENDING#03',
        },
      }),
    );
  };

  beforeAll(async () => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    [db, dynamo] = await Promise.all([createTestDatabase(), createTestDynamo()]);
    firehose = await startAwsJsonEndpoint((request) => {
      const responses = (request.body['Records'] as { Data: string }[]).map((record) => {
        const line = JSON.parse(Buffer.from(record.Data, 'base64').toString('utf8')) as {
          event_id: string;
        };
        return refusedEventIds.has(line.event_id)
          ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
          : { RecordId: 'r' };
      });
      return {
        body: {
          FailedPutCount: responses.filter((response) => 'ErrorCode' in response).length,
          RequestResponses: responses,
        },
      };
    });
  });
  beforeEach(async () => {
    firehose.requests.length = 0;
    refusedEventIds.clear();
    await db.sql.query('TRUNCATE transactions, credit_balance, deposits, users');
    await db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'user-42')");
    await db.sql.query(
      "INSERT INTO credit_balance (partner_id, user_id, balance) VALUES ('acme', 'user-42', 100000)",
    );
  });
  afterAll(async () => {
    await firehose.close();
    await db.drop();
  });

  it('settles a PERMIT and a REJECT: rows inserted, only the PERMIT moves the balance, one audit call, items marked settled', async () => {
    // Prepare
    await Promise.all([putLogItem(permitRecord), putLogItem(rejectRecord)]);

    // Act
    const response = await handlerFor()(batch(permitRecord, rejectRecord));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await balanceOf('user-42')).toBe(100000 - 12550);
    const { rows } = await db.sql.query(
      'SELECT transaction_id, status, reason, amount, currency FROM transactions ORDER BY transaction_id',
    );
    expect(rows).toEqual([
      {
        transaction_id: 'tx-7f3a2c',
        status: 'PERMITTED',
        reason: null,
        amount: 12550,
        currency: 'USD',
      },
      {
        transaction_id: 'tx-9d01',
        status: 'REJECTED',
        reason: 'INSUFFICIENT_FUNDS',
        amount: 990000,
        currency: null,
      },
    ]);
    // One batch's records share PutRecordBatch calls when they finish within the sink's 25 ms
    // linger; each record now re-reads its decision first, so on a loaded machine they may not.
    expect(firehose.requests.length).toBeLessThanOrEqual(2);
    expect(audited(firehose.requests)).toHaveLength(2);
    expect(audited(firehose.requests)).toEqual(
      expect.arrayContaining([
        {
          event_id: '0e5a3c9b-7d41-4a8e-9a43-1f6f1b2c9d01',
          transaction_id: 'tx-7f3a2c',
          user_id: 'user-42',
          partner_id: 'acme',
          amount: 12550,
          currency: 'USD',
          status: 'PERMITTED',
          reason: null,
          remaining_credit: 87450,
          decided_at: '2026-11-25T16:08:00.123Z',
          settled_at: '2026-11-25T16:08:05.000Z',
        },
        expect.objectContaining({
          event_id: '7b2e9f10-3c55-4d0a-b8e6-2a9c4e5f6a02',
          transaction_id: 'tx-9d01',
          partner_id: 'acme',
          currency: null,
        }),
      ]),
    );
    const [permitItem, rejectItem] = await Promise.all([logItem('tx-7f3a2c'), logItem('tx-9d01')]);
    expect(permitItem).toMatchObject({ settled_at: '2026-11-25T16:08:05.000Z' });
    expect(permitItem?.['settlement_state']).toBeUndefined();
    expect(rejectItem?.['settlement_state']).toBeUndefined();
  });

  it('changes nothing twice for duplicate messages, in one batch or redelivered later', async () => {
    // Prepare
    await putLogItem(permitRecord);
    const duplicate = { ...permitRecord, messageId: 'duplicate-delivery' };
    const handler = handlerFor();

    // Act
    const first = await handler(batch(permitRecord, duplicate));
    const later = await handler(batch({ ...permitRecord, messageId: 'redelivered' }));

    // Assess
    expect(first).toEqual({ batchItemFailures: [] });
    expect(later).toEqual({ batchItemFailures: [] });
    expect(await balanceOf('user-42')).toBe(100000 - 12550);
    expect(await rowsOf('tx-7f3a2c')).toBe(1);
    // The audit stream may hold the same event more than once: its event_id makes that harmless.
    expect(new Set(audited(firehose.requests).map((line) => line['event_id']))).toEqual(
      new Set(['0e5a3c9b-7d41-4a8e-9a43-1f6f1b2c9d01']),
    );
  });

  it('settles the decision the TransactionLog stores, whatever the message says', async () => {
    // Prepare: the stored PERMIT is 125.50; a forged copy of its event claims 1.00 and another user
    await putLogItem(permitRecord);
    const forged = variant(
      permitRecord,
      'forged',
      { amount: 100, user_id: 'user-99', status: 'PERMITTED' },
      'evt-forged',
    );

    // Act
    const response = await handlerFor()(batch(forged));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await balanceOf('user-42')).toBe(100_000 - 12_550);
    expect(
      (
        await db.sql.query(
          "SELECT user_id, amount FROM transactions WHERE transaction_id = 'tx-7f3a2c'",
        )
      ).rows,
    ).toEqual([{ user_id: 'user-42', amount: 12_550 }]);
  });

  it("refuses and counts an event for a decision that does not exist (or is another partner's): nothing booked, not retried", async () => {
    // Prepare: acme's decision exists; one message names it as globex's, one names no decision at all
    await putLogItem(permitRecord);
    const otherPartner = variant(
      permitRecord,
      'other-partner',
      { partner_id: 'globex' },
      'evt-other',
    );
    const ghost = variant(permitRecord, 'ghost', { transaction_id: 'tx-ghost' }, 'evt-ghost');

    // Act
    const response = await handlerFor()(batch(otherPartner, ghost));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await balanceOf('user-42')).toBe(100_000);
    expect((await db.sql.query('SELECT count(*)::int AS n FROM transactions')).rows).toEqual([
      { n: 0 },
    ]);
    expect(audited(firehose.requests)).toEqual([]);
    expect((await logItem('tx-7f3a2c'))?.['settlement_state']).toBe('PENDING#03');
  });

  it('reports exactly the failed messages of a partial batch failure and settles the rest', async () => {
    // Prepare: a PERMIT for a user the books lack, and a body that is not a decision
    const good = variant(rejectRecord, 'good', { transaction_id: 'tx-good' }, 'evt-good');
    const orphan = variant(
      permitRecord,
      'orphan-permit',
      { transaction_id: 'tx-orphan', user_id: 'nobody' },
      'evt-orphan',
    );
    const malformed: SQSRecord = {
      ...rejectRecord,
      messageId: 'malformed',
      body: '{"detail-type":"TransactionDecided","detail":{"amount":"12.50"}}',
    };
    await Promise.all([putLogItem(good), putLogItem(orphan)]);

    // Act
    const response = await handlerFor()(batch(good, orphan, malformed));

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'malformed',
      'orphan-permit',
    ]);
    expect(await rowsOf('tx-good')).toBe(1);
    expect(await rowsOf('tx-orphan')).toBe(0);
    expect((await logItem('tx-good'))?.['settlement_state']).toBeUndefined();
    expect((await logItem('tx-orphan'))?.['settlement_state']).toBe('PENDING#03');
    expect(audited(firehose.requests).map((line) => line['transaction_id'])).toEqual(['tx-good']);
  });

  it('fails only the message whose audit record the stream refused, and settles it on redelivery without moving money twice', async () => {
    // Prepare
    const refused = variant(
      permitRecord,
      'audit-refused',
      { transaction_id: 'tx-audit', amount: 500 },
      'evt-audit',
    );
    const fine = variant(rejectRecord, 'audit-fine', { transaction_id: 'tx-fine' }, 'evt-fine');
    await Promise.all([putLogItem(refused), putLogItem(fine)]);
    refusedEventIds.add('evt-audit');
    const handler = handlerFor();

    // Act
    const first = await handler(batch(refused, fine));
    const itemAfterFailure = await logItem('tx-audit');
    refusedEventIds.clear();
    const retried = await handler(batch({ ...refused, messageId: 'audit-refused-again' }));

    // Assess
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'audit-refused' }] });
    expect(itemAfterFailure?.['settlement_state']).toBe('PENDING#03');
    expect(retried).toEqual({ batchItemFailures: [] });
    expect((await logItem('tx-audit'))?.['settlement_state']).toBeUndefined();
    expect(await balanceOf('user-42')).toBe(100000 - 500);
    expect(
      audited(firehose.requests).filter((line) => line['event_id'] === 'evt-audit').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('fails the message whose settlement mark DynamoDB throttled after Aurora committed, and marks it on redelivery without moving money twice', async () => {
    // Prepare: a document client whose first UpdateItem (the mark) is throttled, as the SDK
    // reports it once its own retries are spent
    const throttled = variant(
      permitRecord,
      'mark-throttled',
      { transaction_id: 'tx-mark', amount: 700 },
      'evt-mark',
    );
    const fine = variant(rejectRecord, 'mark-fine', { transaction_id: 'tx-mark-fine' }, 'evt-mf');
    await Promise.all([putLogItem(throttled), putLogItem(fine)]);
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    let throttles = 1;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        // At this step the document client has not marshalled the key yet.
        const key = (args.input as { Key?: { pk?: unknown } }).Key?.pk;
        if (
          context.commandName === 'UpdateItemCommand' &&
          key === 'acme#tx-mark' &&
          throttles > 0
        ) {
          throttles -= 1;
          throw new ProvisionedThroughputExceededException({
            message: 'throughput exceeds the provisioned rate',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttleMark', priority: 'high' },
    );
    const doc = DynamoDBDocumentClient.from(client);
    const handler = handlerFor(doc);

    // Act
    const first = await handler(batch(throttled, fine));
    const afterFailure = await logItem('tx-mark');
    const retried = await handler(batch({ ...throttled, messageId: 'mark-throttled-again' }));

    // Assess: Aurora has it after the first delivery, but the message is not done until the mark is
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'mark-throttled' }] });
    expect(afterFailure?.['settlement_state']).toBe('PENDING#03');
    expect(retried).toEqual({ batchItemFailures: [] });
    expect((await logItem('tx-mark'))?.['settlement_state']).toBeUndefined();
    expect(await rowsOf('tx-mark')).toBe(1);
    expect(await balanceOf('user-42')).toBe(100000 - 700);
    expect((await logItem('tx-mark-fine'))?.['settlement_state']).toBeUndefined();
  });

  it('reports its own failed message when another batch runs through the same handler meanwhile (the local mapping runs batches concurrently)', async () => {
    // Prepare: batch A fails one mark at once and takes long over another; batch B runs in between
    const failing = variant(
      permitRecord,
      'a-failing',
      { transaction_id: 'tx-a-fail', amount: 300 },
      'evt-af',
    );
    const slow = variant(rejectRecord, 'a-slow', { transaction_id: 'tx-a-slow' }, 'evt-as');
    const other = variant(rejectRecord, 'b-fine', { transaction_id: 'tx-b-fine' }, 'evt-bf');
    await Promise.all([putLogItem(failing), putLogItem(slow), putLogItem(other)]);
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: { pk?: unknown } }).Key?.pk;
        if (context.commandName === 'UpdateItemCommand' && key === 'acme#tx-a-fail')
          throw new ProvisionedThroughputExceededException({
            message: 'throughput exceeds the provisioned rate',
            $metadata: { httpStatusCode: 400 },
          });
        if (context.commandName === 'UpdateItemCommand' && key === 'acme#tx-a-slow')
          await new Promise((resolve) => setTimeout(resolve, 400));
        return next(args);
      },
      { step: 'initialize', name: 'failAndSlow', priority: 'high' },
    );
    const handler = handlerFor(DynamoDBDocumentClient.from(client));

    // Act
    const a = handler(batch(failing, slow));
    await new Promise((resolve) => setTimeout(resolve, 250));
    const b = await handler(batch(other));

    // Assess: A's failure is A's, whatever B did meanwhile
    expect(await a).toEqual({ batchItemFailures: [{ itemIdentifier: 'a-failing' }] });
    expect(b).toEqual({ batchItemFailures: [] });
    expect((await logItem('tx-a-fail'))?.['settlement_state']).toBe('PENDING#03');
    expect((await logItem('tx-a-slow'))?.['settlement_state']).toBeUndefined();
  });
});
