import { itemKey } from '@creditline/adapters/definitions';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTransactionLogPublication } from '@creditline/adapters/dynamodb/transaction-log-publication';
import { createSecretSource } from '@creditline/adapters/secrets/secret-source';
import { createSqsClient } from '@creditline/adapters/sqs/sqs-client';
import { createSqsVisibility } from '@creditline/adapters/sqs/visibility';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
} from '@creditline/adapters/testing/aws-json-endpoint';
import { createWebhookSender } from '@creditline/adapters/webhooks/http-sender';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { composeDependencies } from './composition.js';
import { createHandler } from './create-handler.js';
import fixture from './fixtures/sqs-callback-decided.json' with { type: 'json' };

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/creditline-dev-callbacks';
const [decidedRecord] = fixture.Records as [SQSRecord];

interface Received {
  readonly headers: Record<string, string>;
  readonly body: string;
}

describe('CallbackDispatcher handler', () => {
  let dynamo: TestDynamo;
  let sqs: AwsJsonEndpoint;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  const logger = new Logger({ logLevel: 'SILENT' });
  /** Statuses to answer per webhook-id, in order; 200 once they run out. */
  const answers = new Map<string, number[]>();

  /** The fixture record, pointed at the test receiver (or elsewhere), for a transaction of its own. */
  const recordFor = (
    transactionId: string,
    detail: Record<string, unknown> = {},
    receiveCount = 1,
  ): SQSRecord => {
    const body = JSON.parse(decidedRecord.body) as { detail: Record<string, unknown> };
    return {
      ...decidedRecord,
      messageId: `msg-${transactionId}`,
      receiptHandle: `rh-${transactionId}`,
      attributes: { ...decidedRecord.attributes, ApproximateReceiveCount: String(receiveCount) },
      body: JSON.stringify({
        ...body,
        detail: {
          ...body.detail,
          transaction_id: transactionId,
          callback_url: `${receiverUrl}/creditline/callbacks`,
          ...detail,
        },
      }),
    };
  };
  /** The decision as the TransactionLog stores it: what the dispatcher sends, whatever a message says. */
  const logDecision = (transactionId: string, stored: Record<string, unknown> = {}) =>
    dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.transactionLog,
        Item: {
          ...itemKey(
            typeof stored['partner_id'] === 'string' ? stored['partner_id'] : 'acme',
            transactionId,
          ),
          account_key: 'acme#user-42',
          partner_id: 'acme',
          callback_url: `${receiverUrl}/creditline/callbacks`,
          transaction_id: transactionId,
          user_id: 'user-42',
          amount: 12550,
          status: 'PERMITTED',
          reason: null,
          remaining_credit: 87450,
          decided_at: '2026-11-25T16:08:00.123Z',
          fingerprint: 'f',
          ...stored,
        },
      }),
    );
  const deliveryOf = async (transactionId: string, partnerId = 'acme') =>
    (
      await createTransactionLogPublication(
        dynamo.doc,
        dynamo.tables.transactionLog,
      ).storedDecision(partnerId, transactionId)
    )?.delivery;
  const handlerWith = (webhookSecret = secret) =>
    createHandler(
      composeDependencies(
        {
          doc: dynamo.doc,
          transactionLogTable: dynamo.tables.transactionLog,
          secrets: createSecretSource({
            localSecrets: { acme: webhookSecret },
            clock: { now: () => new Date() },
          }),
          visibility: createSqsVisibility(
            createSqsClient(testClientConfig(sqs.endpoint)),
            queueUrl,
          ),
          sender: createWebhookSender({ timeoutMs: 1000 }),
        },
        {
          stage: 'local',
          partners: [{ id: 'acme', callbackHosts: ['127.0.0.1'], webhookSecretArn: 'local:acme' }],
        },
        { logger, metrics: new Metrics({ namespace: 'test' }) },
        { random: () => 0.5 },
      ),
    );
  const visibilityRequests = () => sqs.requests.map((request) => request.body);
  const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

  beforeAll(async () => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    dynamo = await createTestDynamo();
    sqs = await startAwsJsonEndpoint(() => ({ body: {} }));
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          headers: request.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response
          .writeHead(answers.get(String(request.headers['webhook-id']))?.shift() ?? 200)
          .end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  beforeEach(() => {
    received.length = 0;
    sqs.requests.length = 0;
    answers.clear();
  });
  afterAll(async () => {
    await sqs.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('POSTs the decision signed per Standard Webhooks, webhook-id = transaction_id, and records the delivery', async () => {
    // Prepare
    await logDecision('tx-ok');

    // Act
    const response = await handlerWith()(batch(recordFor('tx-ok')));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(new Webhook(secret).verify(delivery?.body ?? '', delivery?.headers ?? {})).toEqual({
      transaction_id: 'tx-ok',
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 87450,
      decided_at: '2026-11-25T16:08:00.123Z',
    });
    expect(delivery?.headers['webhook-id']).toBe('tx-ok');
    expect(await deliveryOf('tx-ok')).toMatchObject({
      attempts: 1,
      last_status: 200,
      dead_lettered: false,
      delivered_at: expect.any(String) as string,
    });
    expect(sqs.requests).toHaveLength(0);
  });

  it('skips a decision without callback_url (the Pipe renders it blank) and sends nothing', async () => {
    await logDecision('tx-none');
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.transactionLog,
        Key: itemKey('acme', 'tx-none'),
        UpdateExpression: 'REMOVE callback_url',
      }),
    );
    const response = await handlerWith()(batch(recordFor('tx-none', { callback_url: '' })));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(0);
    expect(await deliveryOf('tx-none')).toBeUndefined();
  });

  it('does not send again a decision already delivered (a redelivered message)', async () => {
    // Prepare
    await logDecision('tx-twice');
    await handlerWith()(batch(recordFor('tx-twice')));

    // Act
    const response = await handlerWith()(batch(recordFor('tx-twice', {}, 2)));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(1);
    expect((await deliveryOf('tx-twice'))?.attempts).toBe(1);
  });

  it('backs a failed delivery off through the message visibility and reports exactly that record failed', async () => {
    // Prepare
    await Promise.all([logDecision('tx-503'), logDecision('tx-fine')]);
    answers.set('tx-503', [503]);

    // Act
    const response = await handlerWith()(batch(recordFor('tx-503', {}, 3), recordFor('tx-fine')));

    // Assess: third delivery → ceiling 30 s · 2² = 120 s; jitter pinned at 0.5 → 60 + 30 = 90 s
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-tx-503' }]);
    expect(visibilityRequests()).toEqual([
      { QueueUrl: queueUrl, ReceiptHandle: 'rh-tx-503', VisibilityTimeout: 90 },
    ]);
    expect(await deliveryOf('tx-503')).toMatchObject({
      attempts: 1,
      last_status: 503,
      delivered_at: null,
      dead_lettered: false,
    });
    expect(await deliveryOf('tx-fine')).toMatchObject({ attempts: 1, last_status: 200 });
  });

  it('marks the callback dead-lettered when the last delivery SQS will make fails', async () => {
    // Prepare
    await logDecision('tx-last');
    answers.set('tx-last', [500]);

    // Act
    const response = await handlerWith()(batch(recordFor('tx-last', {}, 8)));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-tx-last' }]);
    expect(await deliveryOf('tx-last')).toMatchObject({ last_status: 500, dead_lettered: true });
  });

  it.each([
    {
      label: 'an unknown partner',
      transaction: 'tx-partner',
      detail: { partner_id: 'stranger' },
      status: 'UNKNOWN_PARTNER',
      webhookSecret: secret,
    },
    {
      label: 'a host off the allow-list',
      transaction: 'tx-ssrf',
      detail: { callback_url: 'http://localhost:9/cb' },
      status: 'HOST_NOT_ALLOWED',
      webhookSecret: secret,
    },
    {
      label: 'the cloud metadata address',
      transaction: 'tx-meta',
      detail: { callback_url: 'http://169.254.169.254/latest/meta-data/' },
      status: 'HOST_NOT_ALLOWED',
      webhookSecret: secret,
    },
    {
      label: 'an unusable secret',
      transaction: 'tx-secret',
      detail: {},
      status: 'SECRET_INVALID',
      webhookSecret: 'whsec_c2hvcnQ=',
    },
  ])(
    'refuses $label without sending: recorded, made visible at once so it reaches the DLQ quickly',
    async ({ transaction, detail, status, webhookSecret }) => {
      // Prepare: the decision is stored so (the dispatcher acts on what is stored)
      await logDecision(transaction, detail);

      // Act
      const response = await handlerWith(webhookSecret)(batch(recordFor(transaction, detail)));

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: `msg-${transaction}` }]);
      expect(received).toHaveLength(0);
      expect(visibilityRequests()).toEqual([
        { QueueUrl: queueUrl, ReceiptHandle: `rh-${transaction}`, VisibilityTimeout: 0 },
      ]);
      expect(
        await deliveryOf(transaction, 'partner_id' in detail ? detail.partner_id : 'acme'),
      ).toMatchObject({
        attempts: 1,
        last_status: status,
        delivered_at: null,
      });
    },
  );

  it('sends what the TransactionLog stores, to the stored callback_url, not what a forged message says', async () => {
    // Prepare: the stored decision was REJECTED; the message claims a PERMIT with another URL
    await logDecision('tx-forged', {
      status: 'REJECTED',
      reason: 'INSUFFICIENT_FUNDS',
      remaining_credit: 10,
    });
    const forged = recordFor('tx-forged', {
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 999_999,
      callback_url: 'http://127.0.0.1:9/steal',
    });

    // Act
    const response = await handlerWith()(batch(forged));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({
      transaction_id: 'tx-forged',
      status: 'REJECTED',
      remaining_credit: 10,
    });
  });

  it("refuses and counts an event for a decision that does not exist (or is another partner's), sending nothing", async () => {
    // Prepare: acme's decision exists; the message names it as globex's, and one names no decision at all
    await logDecision('tx-real');
    const error = vi.spyOn(logger, 'error');

    // Act
    const response = await handlerWith()(
      batch(recordFor('tx-real', { partner_id: 'globex' }), recordFor('tx-ghost')),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(0);
    expect(error).toHaveBeenCalledTimes(2);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('does not hold'), expect.anything());
    expect(await deliveryOf('tx-real')).toBeUndefined();
  });

  it('fails a record that is not a TransactionDecided event, so it is retried and parked rather than lost', async () => {
    const response = await handlerWith()(
      batch({ ...decidedRecord, messageId: 'garbage', body: '{"detail":{"amount":"1"}}' }),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'garbage' }]);
    expect(received).toHaveLength(0);
  });
});
