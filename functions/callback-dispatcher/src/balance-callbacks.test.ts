import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
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
import type { BalanceCrossingDetail } from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { composeDependencies } from './composition.js';
import { createHandler } from './create-handler.js';
import { replayFailedDeliveries } from './replay-deliveries.js';
import type { CallbackPartner } from './ports.js';
import fixture from './fixtures/sqs-callback-decided.json' with { type: 'json' };

/**
 * Balance crossings (BalanceLow / BalanceRestored from creditline.controls) through the real
 * handler, over DynamoDB Local (the Webhooks table), a real HTTP receiver and the SQS wire
 * protocol for the retries: delivered with the guarantees of a decision's callback.
 */
const oldSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const newSecret = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/creditline-dev-callbacks';
const [template] = fixture.Records as [SQSRecord];

interface Received {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

describe('CallbackDispatcher: balance crossings', () => {
  const logger = new Logger({ logLevel: process.env['DEBUG_TEST'] ? 'DEBUG' : 'SILENT' });
  let dynamo: TestDynamo;
  let sqs: AwsJsonEndpoint;
  let receiver: Server;
  let receiverUrl: string;
  let now = Date.now();
  const received: Received[] = [];
  /** Statuses to answer per webhook-id, in order; 200 once they run out. */
  const answers = new Map<string, number[]>();
  /** Every secret value is a keyring: during a rotation both keys sign. */
  let secretValue = oldSecret;

  const crossing = (overrides: Partial<BalanceCrossingDetail> = {}): BalanceCrossingDetail => ({
    type: 'BalanceLow',
    partner_id: 'acme',
    user_id: 'user-42',
    threshold: 5000,
    scope: 'user',
    previous: 5200,
    available: 4900,
    change_id: 'tx-81#1',
    ...overrides,
  });
  /** The event the bus rule puts on the callbacks queue, as SQS hands it over. */
  const eventRecord = (
    detail: BalanceCrossingDetail,
    messageId: string,
    source = 'creditline.controls',
  ): SQSRecord => ({
    ...template,
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify({
      version: '0',
      id: `event-${messageId}`,
      'detail-type': detail.type,
      source,
      account: '123456789012',
      time: '2026-12-02T07:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail,
    }),
  });
  const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
  const partners = (): CallbackPartner[] => [
    {
      id: 'acme',
      callbackHosts: ['127.0.0.1'],
      webhookSecretArn: 'local:acme',
      monitorCallbackUrl: `${receiverUrl}/creditline/monitors`,
    },
    // Set up for decisions only: no monitorCallbackUrl.
    { id: 'quiet', callbackHosts: ['127.0.0.1'], webhookSecretArn: 'local:quiet' },
    {
      id: 'flaky',
      callbackHosts: ['127.0.0.1'],
      webhookSecretArn: 'local:acme',
      monitorCallbackUrl: `${receiverUrl}/flaky/monitors`,
    },
  ];
  /** One container: one set of circuit breakers for every batch it handles. */
  const containerWith = () =>
    createHandler(
      composeDependencies(
        {
          doc: dynamo.doc,
          transactionLogTable: dynamo.tables.transactionLog,
          webhooksTable: dynamo.tables.webhooks,
          secrets: createSecretSource({
            localSecrets: { acme: secretValue, quiet: oldSecret },
            clock: { now: () => new Date() },
          }),
          retries: createSqsDelayedMessages(
            createSqsClient(testClientConfig(sqs.endpoint)),
            queueUrl,
          ),
          sender: createWebhookSender({ timeoutMs: 1000 }),
        },
        { stage: 'local', partners: partners() },
        { logger, metrics: new Metrics({ namespace: 'test' }) },
        { random: () => 0.5, clock: { now: () => new Date(now) } },
      ),
    );
  const store = () => createWebhookStore(dynamo.doc, dynamo.tables.webhooks);
  /** The retries the dispatcher sent to the callbacks queue. */
  const scheduled = () =>
    sqs.requests.map((request) => {
      const input = request.body as { MessageBody: string; DelaySeconds: number };
      return { delay: input.DelaySeconds, body: input.MessageBody };
    });
  /** A retry message, as SQS would hand it back to the dispatcher. */
  const asRecord = (body: string, messageId: string): SQSRecord => ({
    ...template,
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
  });

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
          path: request.url ?? '',
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
  beforeEach(() => {
    received.length = 0;
    sqs.requests.length = 0;
    answers.clear();
    now = Date.now();
    secretValue = oldSecret;
  });
  afterAll(async () => {
    await sqs.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('POSTs the crossing to the monitorCallbackUrl, signed with both keys during a rotation, under webhook-id balance#<change_id>#<threshold>', async () => {
    // Prepare: a rotation is under way, the old key retires in an hour
    secretValue = JSON.stringify({
      keys: [
        {
          secret: oldSecret,
          created_at: '2026-01-01T00:00:00Z',
          retire_at: new Date(now + 3600_000).toISOString(),
        },
        { secret: newSecret, created_at: '2026-12-01T00:00:00Z', retire_at: null },
      ],
    });
    const detail = crossing({ change_id: 'tx-signed#1' });

    // Act
    const response = await containerWith()(batch(eventRecord(detail, 'msg-signed')));

    // Assess: the real Standard Webhooks verifier accepts it with either secret
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(1);
    const [delivery] = received as [Received];
    expect(delivery.path).toBe('/creditline/monitors');
    expect(delivery.headers['webhook-id']).toBe('balance#tx-signed#1#5000');
    expect(delivery.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret])
      expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toEqual({
        type: 'BalanceLow',
        partner_id: 'acme',
        user_id: 'user-42',
        threshold: 5000,
        scope: 'user',
        previous: 5200,
        available: 4900,
        change_id: 'tx-signed#1',
      });
    expect(await store().delivery('acme', 'balance#tx-signed#1#5000')).toMatchObject({
      state: 'DELIVERED',
      webhook_id: 'balance#tx-signed#1#5000',
      url: `${receiverUrl}/creditline/monitors`,
      detail,
      attempts: [{ attempt: 1, status: 200, outcome: 'DELIVERED' }],
    });
    expect(
      (await store().delivery('acme', 'balance#tx-signed#1#5000'))?.transaction_id,
    ).toBeUndefined();
    expect(sqs.requests).toHaveLength(0);
  });

  it('delivers a duplicate event once (the stream record redelivered, in the same batch or later); another threshold of the same change is its own delivery', async () => {
    // Prepare
    const detail = crossing({ change_id: 'tx-dup#1' });
    const container = containerWith();

    // Act: two copies at once, a third later; then the same change crossing a second threshold
    const together = await container(
      batch(eventRecord(detail, 'dup-a'), eventRecord(detail, 'dup-b')),
    );
    const later = await container(batch(eventRecord(detail, 'dup-c')));
    await container(
      batch(
        eventRecord(
          crossing({ change_id: 'tx-dup#1', threshold: 10_000, scope: 'program' }),
          'dup-d',
        ),
      ),
    );

    // Assess
    expect([together, later]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([
      'balance#tx-dup#1#5000',
      'balance#tx-dup#1#10000',
    ]);
    expect((await store().delivery('acme', 'balance#tx-dup#1#5000'))?.attempts).toHaveLength(1);
    expect(sqs.requests).toHaveLength(0);
  });

  it('retries a failing endpoint on the schedule (attempt 2 five seconds later, carrying the crossing), under the same webhook-id', async () => {
    // Prepare
    const detail = crossing({
      type: 'BalanceRestored',
      previous: 4900,
      available: 5000,
      change_id: 'dep-9',
    });
    answers.set('balance#dep-9#5000', [503]);

    // Act
    await containerWith()(batch(eventRecord(detail, 'msg-503')));
    const [retry] = scheduled();
    sqs.requests.length = 0;
    now += 5000;
    const second = await containerWith()(batch(asRecord(retry?.body ?? '', 'msg-503-2')));

    // Assess
    expect(retry?.delay).toBe(5);
    expect(JSON.parse(retry?.body ?? '{}')).toEqual({
      type: 'CallbackRetry',
      attempt: 2,
      due_at: new Date(now).toISOString(),
      detail,
    });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(received.map((request) => [request.headers['webhook-id'], request.path])).toEqual([
      ['balance#dep-9#5000', '/creditline/monitors'],
      ['balance#dep-9#5000', '/creditline/monitors'],
    ]);
    expect(
      new Webhook(oldSecret).verify(received[1]?.body ?? '', received[1]?.headers ?? {}),
    ).toMatchObject({
      type: 'BalanceRestored',
      available: 5000,
    });
    expect(await store().delivery('acme', 'balance#dep-9#5000')).toMatchObject({
      state: 'DELIVERED',
      attempts: [
        { attempt: 1, status: 503, outcome: 'FAILED' },
        { attempt: 2, status: 200, outcome: 'DELIVERED' },
      ],
    });
    expect(scheduled()).toEqual([]);
  });

  it('skips, and logs, a crossing of a partner without monitorCallbackUrl: nothing sent, nothing recorded, no failure', async () => {
    // Prepare
    const info = vi.spyOn(logger, 'info');
    const error = vi.spyOn(logger, 'error');

    // Act
    const response = await containerWith()(
      batch(eventRecord(crossing({ partner_id: 'quiet', change_id: 'tx-quiet#1' }), 'msg-quiet')),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(0);
    expect(sqs.requests).toHaveLength(0);
    expect(await store().delivery('quiet', 'balance#tx-quiet#1#5000')).toBeUndefined();
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining('no monitorCallbackUrl'),
      expect.objectContaining({ partner_id: 'quiet', webhook_id: 'balance#tx-quiet#1#5000' }),
    );
    expect(error).not.toHaveBeenCalled();
    info.mockRestore();
    error.mockRestore();
  });

  it("opens the endpoint's circuit after three failures: the next crossing to it is deferred without a send (same attempt), others go on", async () => {
    // Prepare: one container, three crossings failing at the flaky partner's endpoint
    const container = containerWith();
    const flaky = (n: number) => crossing({ partner_id: 'flaky', change_id: `tx-flaky#${n}` });
    for (const n of [1, 2, 3]) answers.set(`balance#tx-flaky#${n}#5000`, [500]);
    for (const n of [1, 2, 3]) await container(batch(eventRecord(flaky(n), `msg-flaky-${n}`)));
    sqs.requests.length = 0;
    received.length = 0;

    // Act
    await container(
      batch(
        eventRecord(flaky(4), 'msg-flaky-4'),
        eventRecord(crossing({ change_id: 'tx-fine#1' }), 'msg-fine'),
      ),
    );

    // Assess
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([
      'balance#tx-fine#1#5000',
    ]);
    const [deferred] = scheduled();
    expect(scheduled()).toHaveLength(1);
    expect(JSON.parse(deferred?.body ?? '{}')).toMatchObject({
      type: 'CallbackRetry',
      attempt: 1,
      detail: flaky(4),
    });
    expect(await store().delivery('flaky', 'balance#tx-flaky#4#5000')).toBeUndefined();
  });

  it('410 Gone disables the endpoint like a decision’s: the delivery is listed for replay, and the replay sends it again under its webhook-id', async () => {
    // Prepare
    const detail = crossing({ change_id: 'tx-gone#1', threshold: 2500 });
    answers.set('balance#tx-gone#1#2500', [410]);
    const since = new Date(now - 1000);
    await containerWith()(batch(eventRecord(detail, 'msg-gone')));
    const failed = await store().delivery('acme', 'balance#tx-gone#1#2500');
    const endpoint = await store().endpoint('acme', `${receiverUrl}/creditline/monitors`);

    // Act
    const report = await replayFailedDeliveries(
      { partnerId: 'acme', since },
      {
        webhooks: store(),
        retries: createSqsDelayedMessages(
          createSqsClient(testClientConfig(sqs.endpoint)),
          queueUrl,
        ),
        clock: { now: () => new Date(now) },
      },
    );
    const [replay] = scheduled();
    await containerWith()(batch(asRecord(replay?.body ?? '', 'msg-gone-replay')));

    // Assess
    expect(failed).toMatchObject({ state: 'ENDPOINT_DISABLED', attempts: [{ status: 410 }] });
    expect(endpoint).toMatchObject({ state: 'DISABLED', disabled_reason: 'GONE' });
    expect(report.replayed).toEqual(['balance#tx-gone#1#2500']);
    expect(report.endpoints_enabled).toEqual([`${receiverUrl}/creditline/monitors`]);
    expect(JSON.parse(replay?.body ?? '{}')).toMatchObject({
      type: 'CallbackRetry',
      attempt: 2,
      detail,
    });
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([
      'balance#tx-gone#1#2500',
      'balance#tx-gone#1#2500',
    ]);
    expect(await store().delivery('acme', 'balance#tx-gone#1#2500')).toMatchObject({
      state: 'DELIVERED',
    });
  });

  it('refuses a crossing that does not come from creditline.controls: the record fails, nothing is sent', async () => {
    const response = await containerWith()(
      batch(eventRecord(crossing({ change_id: 'tx-forged#1' }), 'msg-forged', 'partner.acme')),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-forged' }]);
    expect(received).toHaveLength(0);
    const { Items } = await dynamo.doc.send(new ScanCommand({ TableName: dynamo.tables.webhooks }));
    expect((Items ?? []).filter((item) => String(item['pk']).includes('tx-forged'))).toEqual([]);
  });
});
