import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DepositBatch } from '@creditline/domain';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDepositLedger } from './deposit-ledger.js';

/**
 * DynamoDB Local runs transactions one at a time, so a TransactionConflict cannot be provoked
 * there. A small endpoint on 127.0.0.1 answers in DynamoDB's documented error shape instead; the
 * real SDK sends real requests, which are recorded.
 */
describe('DynamoDB deposit ledger under transaction conflicts', () => {
  let server: Server;
  let endpoint: string;
  const requests: Record<string, unknown>[] = [];
  let replies: { status: number; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        requests.push(JSON.parse(text) as Record<string, unknown>);
        const reply = replies.shift() ?? { status: 200, body: {} };
        response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests.length = 0;
    replies = [];
  });

  const conflict = {
    status: 400,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      message:
        'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None, None]',
      CancellationReasons: [
        { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
        { Code: 'None' },
        { Code: 'None' },
      ],
    },
  };
  const batch: DepositBatch = {
    partner_id: 'acme',
    source_upload: 'upload-1',
    credited_at: '2026-01-15T12:00:00.000Z',
    deposits: [
      {
        deposit_id: 'd1',
        user_id: 'u1',
        amount: 1000,
        deposited_at: '2026-01-15T10:00:00.000Z',
        source_key: 'inbox/a.csv',
        source_line: 2,
      },
      {
        deposit_id: 'd2',
        user_id: 'u1',
        amount: 5,
        deposited_at: '2026-01-15T10:00:00.000Z',
        source_key: 'inbox/a.csv',
        source_line: 3,
      },
    ],
  };
  const ledger = (maxConflictAttempts: number, waits: number[]) =>
    createDynamoDepositLedger(
      DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
          maxAttempts: 1,
        }),
      ),
      { creditCache: 'CreditCache', depositEvents: 'DepositEvents' },
      { maxConflictAttempts, sleep: (attempt) => Promise.resolve(void waits.push(attempt)) },
    );

  it('sends one Put per deposit and one ADD for the user, and retries the same request after a conflict', async () => {
    // Prepare
    replies = [conflict, { status: 200, body: {} }];
    const waits: number[] = [];

    // Act
    const outcome = await ledger(3, waits).record(batch);

    // Assess
    expect(outcome).toEqual({ credited: batch.deposits, resumed: [], duplicates: [] });
    expect(waits).toEqual([1]);
    expect(requests).toHaveLength(2);
    // The SDK gives each command its own idempotency token; the items are the same.
    const [first, second] = requests.map(({ ClientRequestToken, ...rest }) => ({
      token: typeof ClientRequestToken,
      rest,
    }));
    expect(second).toEqual(first);
    expect(first?.token).toBe('string');
    expect(first?.rest).toEqual({
      TransactItems: [
        {
          Put: {
            TableName: 'DepositEvents',
            Item: {
              pk: { S: 'acme#d1' },
              partner_id: { S: 'acme' },
              deposit_id: { S: 'd1' },
              user_id: { S: 'u1' },
              amount: { N: '1000' },
              deposited_at: { S: '2026-01-15T10:00:00.000Z' },
              source_key: { S: 'inbox/a.csv' },
              source_line: { N: '2' },
              credited_at: { S: '2026-01-15T12:00:00.000Z' },
              source_upload: { S: 'upload-1' },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Put: {
            TableName: 'DepositEvents',
            Item: {
              pk: { S: 'acme#d2' },
              partner_id: { S: 'acme' },
              deposit_id: { S: 'd2' },
              user_id: { S: 'u1' },
              amount: { N: '5' },
              deposited_at: { S: '2026-01-15T10:00:00.000Z' },
              source_key: { S: 'inbox/a.csv' },
              source_line: { N: '3' },
              credited_at: { S: '2026-01-15T12:00:00.000Z' },
              source_upload: { S: 'upload-1' },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Update: {
            TableName: 'CreditCache',
            Key: { pk: { S: 'acme#u1' } },
            UpdateExpression: 'SET partner_id = :partner, user_id = :user ADD available :sum',
            ExpressionAttributeValues: {
              ':partner': { S: 'acme' },
              ':user': { S: 'u1' },
              ':sum': { N: '1005' },
            },
          },
        },
      ],
    });
  });

  it('gives up after the bounded number of conflicts with a retryable error', async () => {
    // Prepare
    replies = [conflict, conflict, conflict];
    const waits: number[] = [];

    // Act
    const outcome = ledger(3, waits).record(batch);

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'RetryableStoreError',
      retryable: true,
      code: 'TransactionCanceled',
    });
    expect(waits).toEqual([1, 2]);
    expect(requests).toHaveLength(3);
  });
});
