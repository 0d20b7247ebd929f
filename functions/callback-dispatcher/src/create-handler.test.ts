import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, InternalServerError } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTransactionLogPublication } from '@creditline/adapters/dynamodb/transaction-log-publication';
import { itemKey } from '@creditline/adapters/definitions';
import { createWebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import { createSecretSource } from '@creditline/adapters/secrets/secret-source';
import { createSqsDelayedMessages } from '@creditline/adapters/sqs/delayed-messages';
import { createSqsClient } from '@creditline/adapters/sqs/sqs-client';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
} from '@creditline/adapters/testing/aws-json-endpoint';
import { createWebhookSender } from '@creditline/adapters/webhooks/http-sender';
import { localCredentials, localRegion } from '@creditline/stand-ins';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryMessage } from './callback-message.js';
import { composeDependencies } from './composition.js';
import { createHandler } from './create-handler.js';
import fixture from './fixtures/sqs-callback-decided.json' with { type: 'json' };
import { svixSchedule } from './retry-schedule.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/creditline-dev-callbacks';
const [decidedRecord] = fixture.Records as [SQSRecord];

interface Received {
  readonly headers: Record<string, string>;
  readonly body: string;
}
type Answer = number | { readonly status: number; readonly retryAfter: string };

describe('CallbackDispatcher handler', () => {
  const logger = new Logger({ logLevel: process.env['DEBUG_TEST'] ? 'DEBUG' : 'SILENT' });
  let dynamo: TestDynamo;
  let sqs: AwsJsonEndpoint;
  let receiver: Server;
  let receiverUrl: string;
  let now = Date.now();
  const received: Received[] = [];
  /** Statuses to answer per webhook-id, in order; 200 once they run out. */
  const answers = new Map<string, Answer[]>();

  const detailFor = (
    transactionId: string,
    detail: Record<string, unknown> = {},
  ): Record<string, unknown> => {
    const body = JSON.parse(decidedRecord.body) as { detail: Record<string, unknown> };
    return {
      ...body.detail,
      reason: null,
      transaction_id: transactionId,
      callback_url: `${receiverUrl}/creditline/callbacks`,
      ...detail,
    };
  };
  /** The fixture record, pointed at the test receiver (or elsewhere), for a transaction of its own. */
  const recordFor = (
    transactionId: string,
    detail: Record<string, unknown> = {},
    messageId = `msg-${transactionId}`,
  ): SQSRecord => {
    const body = JSON.parse(decidedRecord.body) as Record<string, unknown>;
    return {
      ...decidedRecord,
      messageId,
      receiptHandle: `rh-${messageId}`,
      body: JSON.stringify({ ...body, detail: { ...detailFor(transactionId), ...detail } }),
    };
  };
  const retryRecordFor = (
    transactionId: string,
    attempt: number,
    dueAt: Date,
    messageId = `msg-${transactionId}-${attempt}`,
  ): SQSRecord => ({
    ...decidedRecord,
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: retryMessage(detailFor(transactionId) as never, attempt, dueAt),
  });
  /** The decision as the TransactionLog stores it: what the dispatcher sends, whatever a message says. */
  const logDecision = (transactionId: string, stored: Record<string, unknown> = {}) => {
    const partnerId = typeof stored['partner_id'] === 'string' ? stored['partner_id'] : 'acme';
    return dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.transactionLog,
        Item: {
          ...itemKey(partnerId, transactionId),
          account_key: `${partnerId}#user-42`,
          partner_id: partnerId,
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
  };
  const summaryOf = async (transactionId: string, partnerId = 'acme') =>
    (
      await createTransactionLogPublication(
        dynamo.doc,
        dynamo.tables.transactionLog,
      ).storedDecision(partnerId, transactionId)
    )?.delivery;
  const store = () => createWebhookStore(dynamo.doc, dynamo.tables.webhooks);
  const deliveryOf = (transactionId: string) => store().delivery('acme', transactionId);
  const handlerWith = (webhookSecret = secret, policy = svixSchedule) =>
    createHandler(
      composeDependencies(
        {
          doc: dynamo.doc,
          transactionLogTable: dynamo.tables.transactionLog,
          webhooksTable: dynamo.tables.webhooks,
          secrets: createSecretSource({
            localSecrets: { acme: webhookSecret },
            clock: { now: () => new Date() },
          }),
          retries: createSqsDelayedMessages(
            createSqsClient(testClientConfig(sqs.endpoint)),
            queueUrl,
          ),
          sender: createWebhookSender({ timeoutMs: 1000 }),
        },
        {
          stage: 'local',
          partners: [{ id: 'acme', callbackHosts: ['127.0.0.1'], webhookSecretArn: 'local:acme' }],
          retryPolicy: policy,
        },
        { logger, metrics: new Metrics({ namespace: 'test' }) },
        { random: () => 0.5, clock: { now: () => new Date(now) } },
      ),
    );
  /** The retries the dispatcher scheduled: SQS SendMessage calls. */
  const scheduled = () =>
    sqs.requests.map((request) => {
      const input = request.body as { MessageBody: string; DelaySeconds: number };
      return {
        delay: input.DelaySeconds,
        message: JSON.parse(input.MessageBody) as {
          type: string;
          attempt: number;
          due_at: string;
          detail: { transaction_id: string };
        },
      };
    });
  const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

  beforeAll(async () => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    dynamo = await createTestDynamo();
    sqs = await startAwsJsonEndpoint((request) => ({
      body: {
        MessageId: 'm',
        MD5OfMessageBody: createHash('md5')
          .update(String(request.body['MessageBody']))
          .digest('hex'),
      },
    }));
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          headers: request.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = answers.get(String(request.headers['webhook-id']))?.shift() ?? 200;
        if (typeof answer === 'number') response.writeHead(answer).end();
        else response.writeHead(answer.status, { 'retry-after': answer.retryAfter }).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    received.length = 0;
    sqs.requests.length = 0;
    answers.clear();
    now = Date.now();
  });
  afterAll(async () => {
    await sqs.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('POSTs the decision signed per Standard Webhooks, webhook-id = transaction_id, and records the attempt with its latency', async () => {
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
    expect(await summaryOf('tx-ok')).toMatchObject({
      attempts: 1,
      last_status: 200,
      dead_lettered: false,
      delivered_at: expect.any(String) as string,
    });
    expect(await deliveryOf('tx-ok')).toMatchObject({
      state: 'DELIVERED',
      webhook_id: 'tx-ok',
      next_attempt_at: null,
      attempts: [
        {
          attempt: 1,
          status: 200,
          outcome: 'DELIVERED',
          latency_ms: expect.any(Number) as number,
          at: new Date(now).toISOString(),
        },
      ],
    });
    expect(sqs.requests).toHaveLength(0);
  });

  it('skips a decision without callback_url (the Pipe renders it blank) and sends nothing', async () => {
    const response = await handlerWith()(batch(recordFor('tx-none', { callback_url: '' })));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(0);
    expect(await deliveryOf('tx-none')).toBeUndefined();
  });

  it('sends once: the same message redelivered, or a second message for the same attempt, sends nothing more', async () => {
    // Prepare
    await logDecision('tx-twice');
    await handlerWith()(batch(recordFor('tx-twice')));

    // Act
    const again = await handlerWith()(batch(recordFor('tx-twice')));
    const forked = await handlerWith()(batch(recordFor('tx-twice', {}, 'another-message')));

    // Assess
    expect([again, forked]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(received).toHaveLength(1);
    expect((await deliveryOf('tx-twice'))?.attempts).toHaveLength(1);
  });

  it('schedules attempt 2 five seconds later as a delayed message, and the other record of the batch is not held up', async () => {
    // Prepare
    await Promise.all([logDecision('tx-503'), logDecision('tx-fine')]);
    answers.set('tx-503', [503]);

    // Act
    const response = await handlerWith()(batch(recordFor('tx-503'), recordFor('tx-fine')));

    // Assess: nothing is left for SQS to redeliver; the retry is a new message
    expect(response.batchItemFailures).toEqual([]);
    const due = new Date(now + 5000).toISOString();
    expect(scheduled()).toEqual([
      {
        delay: 5,
        message: expect.objectContaining({
          type: 'CallbackRetry',
          attempt: 2,
          due_at: due,
        }) as unknown,
      },
    ]);
    expect(await deliveryOf('tx-503')).toMatchObject({
      state: 'PENDING',
      next_attempt_at: due,
      attempts: [{ attempt: 1, status: 503, outcome: 'FAILED' }],
    });
    expect(await deliveryOf('tx-fine')).toMatchObject({ state: 'DELIVERED' });
  });

  it('honours Retry-After of a 429, and reaches a due time hours away by hops of 15 minutes', async () => {
    // Prepare
    await logDecision('tx-429');
    answers.set('tx-429', [{ status: 429, retryAfter: '7200' }]);

    // Act
    await handlerWith()(batch(recordFor('tx-429')));
    const [retry] = scheduled();
    sqs.requests.length = 0;
    await handlerWith()(batch(retryRecordFor('tx-429', 2, new Date(retry?.message.due_at ?? ''))));

    // Assess
    expect(retry).toMatchObject({
      delay: 900,
      message: { attempt: 2, due_at: new Date(now + 7200_000).toISOString() },
    });
    expect(received).toHaveLength(1);
    expect(scheduled()).toEqual([
      {
        delay: 900,
        message: expect.objectContaining({ attempt: 2, due_at: retry?.message.due_at }) as unknown,
      },
    ]);
  });

  it('delivers a due retry, and fails for good after the 8th attempt: listed for replay, never dropped', async () => {
    // Prepare: attempts 1..7 failed
    await logDecision('tx-last');
    answers.set('tx-last', [500, 500, 500, 500, 500, 500, 500, 500]);
    await handlerWith()(batch(recordFor('tx-last')));
    for (let attempt = 2; attempt <= 7; attempt += 1)
      await handlerWith()(batch(retryRecordFor('tx-last', attempt, new Date(now))));
    sqs.requests.length = 0;

    // Act
    await handlerWith()(batch(retryRecordFor('tx-last', 8, new Date(now))));

    // Assess
    expect(received).toHaveLength(8);
    expect(scheduled()).toEqual([]);
    const delivery = await deliveryOf('tx-last');
    expect(delivery).toMatchObject({ state: 'FAILED', next_attempt_at: null });
    expect(delivery?.attempts.map((entry) => entry.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await summaryOf('tx-last')).toMatchObject({ last_status: 500, dead_lettered: true });
    expect(
      (await store().failedSince('acme', new Date(now - 1000).toISOString())).map(
        (item) => item.transaction_id,
      ),
    ).toContain('tx-last');
  });

  it('410 Gone disables the endpoint: the next callback to it is not sent and ends ENDPOINT_DISABLED', async () => {
    // Prepare
    const url = { callback_url: `${receiverUrl}/gone` };
    await Promise.all([logDecision('tx-gone', url), logDecision('tx-after-gone', url)]);
    answers.set('tx-gone', [410]);

    // Act
    await handlerWith()(batch(recordFor('tx-gone', url)));
    await handlerWith()(batch(recordFor('tx-after-gone', url)));

    // Assess
    expect(received).toHaveLength(1);
    expect(scheduled()).toEqual([]);
    expect(await store().endpoint('acme', `${receiverUrl}/gone`)).toMatchObject({
      state: 'DISABLED',
      disabled_reason: 'GONE',
    });
    expect(await deliveryOf('tx-gone')).toMatchObject({ state: 'ENDPOINT_DISABLED' });
    expect(await deliveryOf('tx-after-gone')).toMatchObject({
      state: 'ENDPOINT_DISABLED',
      attempts: [{ status: 'ENDPOINT_DISABLED', outcome: 'REFUSED', latency_ms: null }],
    });
  });

  it('disables an endpoint that has failed without a success for longer than the configured days', async () => {
    // Prepare
    const url = { callback_url: `${receiverUrl}/down` };
    await Promise.all([logDecision('tx-day-1', url), logDecision('tx-day-6', url)]);
    answers.set('tx-day-1', [500]);
    answers.set('tx-day-6', [500]);
    await handlerWith()(batch(recordFor('tx-day-1', url)));

    // Act: six days later, with N = 5
    now += 6 * 24 * 3600_000;
    await handlerWith()(batch(recordFor('tx-day-6', url)));

    // Assess
    expect(await store().endpoint('acme', `${receiverUrl}/down`)).toMatchObject({
      state: 'DISABLED',
      disabled_reason: expect.stringMatching(/^FAILING_SINCE /) as string,
    });
    expect(await deliveryOf('tx-day-6')).toMatchObject({ state: 'ENDPOINT_DISABLED' });
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
    'refuses $label without sending and without retrying: FAILED, listed for replay',
    async ({ transaction, detail, status, webhookSecret }) => {
      // Prepare: the decision is stored so (the dispatcher acts on what is stored)
      await logDecision(transaction, detail);

      // Act
      const response = await handlerWith(webhookSecret)(batch(recordFor(transaction, detail)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(received).toHaveLength(0);
      expect(scheduled()).toEqual([]);
      const partner = (detail as { partner_id?: string }).partner_id ?? 'acme';
      expect(await store().delivery(partner, transaction)).toMatchObject({
        state: 'FAILED',
        attempts: [{ status, outcome: 'REFUSED' }],
      });
      expect(await summaryOf(transaction, partner)).toMatchObject({
        attempts: 1,
        last_status: status,
        delivered_at: null,
      });
    },
  );

  it('sends what the TransactionLog stores, not what a forged message says', async () => {
    // Prepare: the stored decision was REJECTED; the message claims a PERMIT
    await logDecision('tx-forged', {
      status: 'REJECTED',
      reason: 'INSUFFICIENT_FUNDS',
      remaining_credit: 10,
    });
    const forged = recordFor('tx-forged', {
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 999_999,
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
    // Prepare: acme's decision exists; one message names it as globex's, another names no decision at all
    await logDecision('tx-real');
    const error = vi.spyOn(logger, 'error');

    // Act
    const response = await handlerWith()(
      batch(recordFor('tx-real', { partner_id: 'globex' }), recordFor('tx-ghost')),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(0);
    expect(scheduled()).toEqual([]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('does not hold'), expect.anything());
    expect(await summaryOf('tx-real')).toBeUndefined();
    expect(await deliveryOf('tx-real')).toBeUndefined();
  });

  it('a store failure mid-attempt gives the endpoint its slot back: later callbacks in the same container are still sent', async () => {
    // Prepare: one container (one set of breakers, maxInFlight 2), over a DynamoDB client whose
    // calls to the Webhooks table fail for the first two records (a 5xx the SDK gave up on).
    await Promise.all(['tx-outage-1', 'tx-outage-2', 'tx-after-outage'].map((id) => logDecision(id)));
    let failing = 2;
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: localRegion, credentials: localCredentials });
    client.middlewareStack.add(
      (next) => (args) => {
        const table = (args.input as { TableName?: string }).TableName;
        if (table === dynamo.tables.webhooks && failing > 0) {
          failing -= 1;
          return Promise.reject(new InternalServerError({ message: 'outage', $metadata: { httpStatusCode: 500 } }));
        }
        return next(args);
      },
      { step: 'initialize', name: 'webhooksOutage', priority: 'high' },
    );
    const handler = createHandler(
      composeDependencies(
        {
          doc: DynamoDBDocumentClient.from(client),
          transactionLogTable: dynamo.tables.transactionLog,
          webhooksTable: dynamo.tables.webhooks,
          secrets: createSecretSource({ localSecrets: { acme: secret }, clock: { now: () => new Date() } }),
          retries: createSqsDelayedMessages(createSqsClient(testClientConfig(sqs.endpoint)), queueUrl),
          sender: createWebhookSender({ timeoutMs: 1000 }),
        },
        { stage: 'local', partners: [{ id: 'acme', callbackHosts: ['127.0.0.1'], webhookSecretArn: 'local:acme' }] },
        { logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'test' }) },
        { random: () => 0.5, clock: { now: () => new Date(now) } },
      ),
    );
    const failed = [await handler(batch(recordFor('tx-outage-1'))), await handler(batch(recordFor('tx-outage-2')))];

    // Act
    const response = await handler(batch(recordFor('tx-after-outage')));

    // Assess: the failed records go back to SQS; the next callback is sent, not deferred
    expect(failed.map((answer) => answer.batchItemFailures.length)).toEqual([1, 1]);
    expect(response.batchItemFailures).toEqual([]);
    expect(received.map((request) => request.headers['webhook-id'])).toEqual(['tx-after-outage']);
    expect(scheduled()).toEqual([]);
    expect(await deliveryOf('tx-after-outage')).toMatchObject({ state: 'DELIVERED' });
    client.destroy();
  });

  it('fails a record that is not a callback message, so SQS retries and parks it rather than losing it', async () => {
    const response = await handlerWith()(
      batch({ ...decidedRecord, messageId: 'garbage', body: '{"detail":{"amount":"1"}}' }),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'garbage' }]);
    expect(received).toHaveLength(0);
  });
});
