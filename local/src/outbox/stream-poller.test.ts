import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTransactionLogStore } from '@creditline/adapters/dynamodb/transaction-log-store';
import type { BusEvent, EventPublisher } from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStreamPoller } from './stream-poller.js';

describe('outbox stream poller (the Pipe, locally)', () => {
  let dynamo: TestDynamo;
  let streams: DynamoDBStreamsClient;
  let checkpointFile: string;

  /** Claims then decides, as the validator does: the CLAIMED -> DECIDED change is the outbox record. */
  const decide = async (
    transactionId: string,
    extra: {
      callback_url?: string;
      partner_id?: string;
      currency?: string;
      status?: 'PERMITTED' | 'REJECTED';
      reason?: 'INSUFFICIENT_FUNDS';
    } = {},
  ) => {
    const log = createTransactionLogStore(dynamo.doc, dynamo.tables);
    const { status = 'PERMITTED', reason = null, ...request } = extra;
    await log.claim({
      transaction_id: transactionId,
      user_id: 'u1',
      amount: 1000,
      fingerprint: 'f',
      owner: 'o',
      attempt: 1,
      lease_until: '2026-11-25T16:08:06.000Z',
      partner_id: 'acme',
      ...request,
    });
    await log.finalize(request.partner_id ?? 'acme', transactionId, 1, {
      status,
      reason,
      remaining_credit: 9000,
      decided_at: '2026-11-25T16:08:00.000Z',
    });
  };
  const settle = (transactionId: string) =>
    dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.transactionLog,
        Key: { pk: `acme#${transactionId}` },
        UpdateExpression: 'REMOVE settlement_state SET settled_at = :at',
        ExpressionAttributeValues: { ':at': '2026-11-25T16:08:01.000Z' },
      }),
    );
  const recording = (): EventPublisher & { events: BusEvent[] } => {
    const events: BusEvent[] = [];
    return { events, publish: (batch) => Promise.resolve(void events.push(...batch)) };
  };
  const pollerWith = (publisher: EventPublisher) =>
    createStreamPoller({
      dynamo: dynamo.client,
      streams,
      tableName: dynamo.tables.transactionLog,
      publisher,
      checkpointFile,
    });

  beforeEach(async () => {
    dynamo = await createTestDynamo();
    streams = new DynamoDBStreamsClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    checkpointFile = join(
      mkdtempSync(join(tmpdir(), 'creditline-poller-')),
      'outbox.checkpoint.json',
    );
  });

  it('publishes one TransactionDecided per new decision, rendered by the shared template, and nothing for updates', async () => {
    // Prepare
    await decide('tx-1', {
      callback_url: 'https://hooks.partner.example/cb',
      partner_id: 'acme',
      currency: 'USD',
    });
    await decide('tx-2', { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' });
    await settle('tx-1');
    const publisher = recording();

    // Act
    const published = await pollerWith(publisher).pollOnce();

    // Assess
    expect(published).toBe(2);
    expect(publisher.events).toEqual([
      {
        source: 'creditline.authorization',
        detailType: 'TransactionDecided',
        detail: {
          transaction_id: 'tx-1',
          user_id: 'u1',
          amount: 1000,
          currency: 'USD',
          status: 'PERMITTED',
          reason: '',
          remaining_credit: 9000,
          decided_at: '2026-11-25T16:08:00.000Z',
          callback_url: 'https://hooks.partner.example/cb',
          partner_id: 'acme',
        },
      },
      expect.objectContaining({
        detail: expect.objectContaining({
          transaction_id: 'tx-2',
          reason: 'INSUFFICIENT_FUNDS',
          callback_url: '',
        }) as unknown,
      }),
    ]);
  });

  it('resumes from its checkpoint after a restart: old records are not published again, new ones are', async () => {
    // Prepare
    await decide('tx-a');
    await pollerWith(recording()).pollOnce();
    await decide('tx-b');
    const afterRestart = recording();

    // Act
    const published = await pollerWith(afterRestart).pollOnce();
    const idle = await pollerWith(afterRestart).pollOnce();

    // Assess
    expect(published).toBe(1);
    expect(idle).toBe(0);
    expect(
      afterRestart.events.map(
        (event) => (event.detail as { transaction_id: string }).transaction_id,
      ),
    ).toEqual(['tx-b']);
  });

  it('does not checkpoint what it could not publish: the next poll publishes it', async () => {
    // Prepare
    await decide('tx-retry');
    const failing: EventPublisher = { publish: () => Promise.reject(new Error('bus down')) };
    const working = recording();

    // Act
    const failed = pollerWith(failing).pollOnce();
    await expect(failed).rejects.toThrow('bus down');
    await pollerWith(working).pollOnce();

    // Assess
    expect(
      working.events.map((event) => (event.detail as { transaction_id: string }).transaction_id),
    ).toEqual(['tx-retry']);
  });

  it('runs as a loop until stopped', async () => {
    // Prepare
    const publisher = recording();
    const poller = createStreamPoller({
      dynamo: dynamo.client,
      streams,
      tableName: dynamo.tables.transactionLog,
      publisher,
      checkpointFile,
      pollIntervalMs: 20,
    });
    poller.start();

    // Act
    await decide('tx-loop');
    for (let wait = 0; wait < 100 && publisher.events.length === 0; wait += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await poller.stop();

    // Assess
    expect(publisher.events).toHaveLength(1);
  });
});
