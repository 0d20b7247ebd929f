import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTransactionLogStore } from '../dynamodb/transaction-log-store.js';
import { createTestDynamo } from '@creditline/stand-ins/vitest';
import { describe, expect, it } from 'vitest';
import { matchesPattern, rules } from '../definitions/events.js';
import { decidedDetailSchema } from './decided-detail.js';
import insertPermitted from './fixtures/stream-decided-permitted.json' with { type: 'json' };
import insertRejected from './fixtures/stream-decided-rejected.json' with { type: 'json' };
import modifySettled from './fixtures/stream-modify-settled.json' with { type: 'json' };
import { toPipeStreamRecord } from './stream-record.js';
import {
  outboxFilterPattern,
  outboxInputTemplate,
  outboxTarget,
  toTransactionDecidedEvent,
  type OutboxMapping,
} from './transaction-decided.js';

const eventOf = (mapping: OutboxMapping) => {
  if (mapping.kind !== 'event') throw new Error(`expected an event, got ${mapping.kind}`);
  return mapping.event;
};

describe('TransactionDecided from the TransactionLog stream', () => {
  it('gives infra the Pipe filter and an input template naming every detail field', () => {
    // Assess: these strings are what the Pipe is created with
    expect(JSON.parse(outboxFilterPattern)).toEqual({
      eventName: ['MODIFY'],
      dynamodb: {
        OldImage: { state: { S: ['CLAIMED'] } },
        NewImage: { state: { S: ['DECIDED'] } },
      },
    });
    expect(outboxTarget).toEqual({
      source: 'creditline.authorization',
      detailType: 'TransactionDecided',
    });
    expect(outboxInputTemplate).toBe(
      '{"transaction_id": "<$.dynamodb.NewImage.transaction_id.S>", "user_id": "<$.dynamodb.NewImage.user_id.S>", ' +
        '"amount": <$.dynamodb.NewImage.amount.N>, "currency": "<$.dynamodb.NewImage.currency.S>", ' +
        '"status": "<$.dynamodb.NewImage.status.S>", "reason": "<$.dynamodb.NewImage.reason.S>", ' +
        '"remaining_credit": <$.dynamodb.NewImage.remaining_credit.N>, "decided_at": "<$.dynamodb.NewImage.decided_at.S>", ' +
        '"callback_url": "<$.dynamodb.NewImage.callback_url.S>", "partner_id": "<$.dynamodb.NewImage.partner_id.S>"}',
    );
  });

  it('maps the CLAIMED -> DECIDED change of a PERMIT to the event the Pipe publishes: cents as numbers, NULL reason blank, quotes escaped', () => {
    // Act
    const event = eventOf(toTransactionDecidedEvent(insertPermitted));

    // Assess
    expect(event.source).toBe('creditline.authorization');
    expect(event.detailType).toBe('TransactionDecided');
    expect(event.detail).toEqual({
      transaction_id: 'tx-7f3a2c',
      user_id: 'user-42',
      amount: 12550,
      currency: 'USD',
      status: 'PERMITTED',
      reason: '',
      remaining_credit: 87450,
      decided_at: '2026-11-25T16:08:00.123Z',
      callback_url: 'https://hooks.acme-bank.example/creditline?ref="q"',
      partner_id: 'acme',
    });
  });

  it('lets consumers read blanks as absent: a PERMIT has a null reason, a REJECT without callback has no callback_url', () => {
    // Act
    const permitted = decidedDetailSchema.parse(
      eventOf(toTransactionDecidedEvent(insertPermitted)).detail,
    );
    const rejected = decidedDetailSchema.parse(
      eventOf(toTransactionDecidedEvent(insertRejected)).detail,
    );

    // Assess
    expect(permitted.reason).toBeNull();
    expect(permitted.callback_url).toBe('https://hooks.acme-bank.example/creditline?ref="q"');
    expect(rejected).toEqual({
      transaction_id: 'tx-9d01',
      user_id: 'user-42',
      amount: 990000,
      status: 'REJECTED',
      reason: 'INSUFFICIENT_FUNDS',
      remaining_credit: 87450,
      decided_at: '2026-11-25T16:08:01.004Z',
      partner_id: 'acme',
    });
  });

  it('refuses a blank in a required field rather than reading it as absent', () => {
    const detail = { ...eventOf(toTransactionDecidedEvent(insertRejected)).detail, user_id: '' };
    expect(decidedDetailSchema.safeParse(detail).success).toBe(false);
  });

  it('routes the rendered event with the shared rules: every decision to the log queue, only a real callback_url to callbacks', () => {
    // Prepare
    const envelope = (mapping: OutboxMapping) => {
      const event = eventOf(mapping);
      return { source: event.source, 'detail-type': event.detailType, detail: event.detail };
    };
    const targetsOf = (mapping: OutboxMapping) =>
      rules
        .filter((rule) => matchesPattern(rule.pattern, envelope(mapping)))
        .map((rule) => rule.target);

    // Act / Assess: the blank a missing callback_url renders as must not reach the callbacks queue
    expect(targetsOf(toTransactionDecidedEvent(insertPermitted))).toEqual([
      'transaction-log-queue',
      'callbacks-queue',
    ]);
    expect(targetsOf(toTransactionDecidedEvent(insertRejected))).toEqual(['transaction-log-queue']);
  });

  it('filters out every other change: the claim, a take-over, settlement and delivery state', () => {
    const claimed = {
      eventName: 'INSERT',
      dynamodb: { NewImage: insertPermitted.dynamodb.OldImage },
    };
    const takenOver = {
      eventName: 'MODIFY',
      dynamodb: {
        OldImage: insertPermitted.dynamodb.OldImage,
        NewImage: { ...insertPermitted.dynamodb.OldImage, attempt: { N: '2' } },
      },
    };
    expect(toTransactionDecidedEvent(claimed)).toEqual({ kind: 'filtered' });
    expect(toTransactionDecidedEvent(takenOver)).toEqual({ kind: 'filtered' });
    expect(toTransactionDecidedEvent(modifySettled)).toEqual({ kind: 'filtered' });
  });

  it('reports an item the template cannot render instead of publishing broken JSON', () => {
    // Prepare
    const image: Record<string, unknown> = { ...insertRejected.dynamodb.NewImage };
    delete image['amount'];
    const record = { ...insertRejected, dynamodb: { ...insertRejected.dynamodb, NewImage: image } };

    // Act
    const mapping = toTransactionDecidedEvent(record);

    // Assess
    expect(mapping).toEqual({
      kind: 'unpublishable',
      reason: '$.dynamodb.NewImage.amount.N is not in the record',
    });
  });

  it('maps what a live DynamoDB Local stream delivers for a claim decided the way the validator decides it', async () => {
    // Prepare
    const dynamo = await createTestDynamo();
    const streams = new DynamoDBStreamsClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const log = createTransactionLogStore(dynamo.doc, dynamo.tables);
    await log.claim({
      transaction_id: 'tx-live-1',
      user_id: 'user-7',
      amount: 2500,
      currency: 'EUR',
      callback_url: 'https://partner.example/hooks',
      partner_id: 'acme',
      fingerprint: 'f1',
      owner: 'o1',
      attempt: 1,
      lease_until: '2026-11-25T16:10:06.000Z',
    });
    await log.finalize('acme', 'tx-live-1', 1, {
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 7500,
      decided_at: '2026-11-25T16:10:00.000Z',
    });
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.transactionLog,
        Key: { pk: 'acme#tx-live-1' },
        UpdateExpression: 'REMOVE settlement_state SET settled_at = :at',
        ExpressionAttributeValues: { ':at': '2026-11-25T16:10:01.000Z' },
      }),
    );

    // Act
    const { Table } = await dynamo.client.send(
      new DescribeTableCommand({ TableName: dynamo.tables.transactionLog }),
    );
    const streamArn = Table?.LatestStreamArn ?? '';
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    const records: _Record[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
      records.push(...(page.Records ?? []));
    }
    const mappings = records.map((record) =>
      toTransactionDecidedEvent(toPipeStreamRecord(record, streamArn)),
    );

    // Assess
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY']);
    expect(mappings[0]).toEqual({ kind: 'filtered' });
    expect(mappings[2]).toEqual({ kind: 'filtered' });
    expect(decidedDetailSchema.parse(eventOf(mappings[1] ?? { kind: 'filtered' }).detail)).toEqual({
      transaction_id: 'tx-live-1',
      user_id: 'user-7',
      amount: 2500,
      currency: 'EUR',
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 7500,
      decided_at: '2026-11-25T16:10:00.000Z',
      callback_url: 'https://partner.example/hooks',
      partner_id: 'acme',
    });
    streams.destroy();
  });
});
