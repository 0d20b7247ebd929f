import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createTransactionLogStore } from '@creditline/adapters/dynamodb/transaction-log-store';
import { callbacksQueue, transactionLogQueue } from '@creditline/adapters/definitions';
import { createTransactionLogPublication } from '@creditline/adapters/dynamodb/transaction-log-publication';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createSecretSource } from '@creditline/adapters/secrets/secret-source';
import { createWebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import { createWebhookSender } from '@creditline/adapters/webhooks/http-sender';
import { replayFailedDeliveries } from '@creditline/callback-dispatcher/replay-deliveries';
import { svixSchedule } from '@creditline/callback-dispatcher/retry-schedule';
import { composeDependencies as composeDispatcher } from '@creditline/callback-dispatcher/composition';
import { createHandler as createDispatcherHandler } from '@creditline/callback-dispatcher/create-handler';
import {
  createTestDatabase,
  createTestDynamo,
  type TestDatabase,
  type TestDynamo,
} from '@creditline/stand-ins/vitest';
import { composeDependencies as composeLogger } from '@creditline/transaction-logger/composition';
import { createHandler as createLoggerHandler } from '@creditline/transaction-logger/create-handler';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus, queueTarget } from '../bus/in-process-bus.js';
import { createLocalFirehose } from '../firehose/local-firehose.js';
import {
  createEventSourceMapping,
  type EventSourceMapping,
} from '../queues/event-source-mapping.js';
import { createLocalQueue } from '../queues/local-queue.js';
import { createStreamPoller, type StreamPoller } from './stream-poller.js';

/**
 * The whole fan-out on the laptop: a decision written to DynamoDB Local's TransactionLog is
 * read from its stream by the poller, published on the in-process bus, routed by the shared
 * rules to the two local queues, and consumed through the event source mapping by the real
 * TransactionLogger (PostgreSQL, local Firehose) and CallbackDispatcher (a real receiver on
 * 127.0.0.1). Queue durations run at 1/2000 speed: the production settings, compressed.
 */
// Queue time runs 200× faster; a visibility timeout shorter than one delivery under load would
// redeliver a message still in flight, which no real queue setting here allows.
const TIME_SCALE = 0.005;
const immediateRetries = {
  ...svixSchedule,
  delaysSeconds: svixSchedule.delaysSeconds.map(() => 0),
};
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Delivery {
  readonly id: string;
  readonly verified: boolean;
  readonly status: number;
}

const waitFor = async (
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('local fan-out: stream → bus → queues → TransactionLogger and CallbackDispatcher', () => {
  let dynamo: TestDynamo;
  let db: TestDatabase;
  let receiver: Server;
  let receiverUrl: string;
  /** How the receiver treats each webhook-id: fail the first N, or never answer. */
  const behaviour = new Map<string, { failFirst: number } | 'silent'>();
  const deliveries: Delivery[] = [];
  const running: (EventSourceMapping | StreamPoller)[] = [];

  beforeAll(async () => {
    process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    [dynamo, db] = await Promise.all([createTestDynamo(), createTestDatabase()]);
    await db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'user-42')");
    await db.sql.query(
      "INSERT INTO credit_balance (partner_id, user_id, balance) VALUES ('acme', 'user-42', 100000)",
    );
    const webhook = new Webhook(secret);
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const id = String(request.headers['webhook-id']);
        const rule = behaviour.get(id) ?? { failFirst: 0 };
        if (rule === 'silent') return;
        let verified = true;
        try {
          webhook.verify(
            Buffer.concat(chunks).toString('utf8'),
            request.headers as Record<string, string>,
          );
        } catch {
          verified = false;
        }
        const seen = deliveries.filter((delivery) => delivery.id === id).length;
        const status = seen < rule.failFirst ? 503 : 200;
        deliveries.push({ id, verified, status });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/creditline/callbacks`;
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((part) => part.stop()));
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await db.drop();
  });

  const startFanOut = () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditline-fanout-'));
    const logQueue = createLocalQueue({
      definition: transactionLogQueue,
      dir: join(dir, 'queues'),
      timeScale: TIME_SCALE,
    });
    const callbacks = createLocalQueue({
      definition: callbacksQueue,
      dir: join(dir, 'queues'),
      timeScale: TIME_SCALE,
    });
    const bus = createInProcessBus({
      targets: {
        'transaction-log-queue': queueTarget(logQueue),
        'callbacks-queue': queueTarget(callbacks),
      },
    });
    const streams = new DynamoDBStreamsClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const poller = createStreamPoller({
      dynamo: dynamo.client,
      streams,
      tableName: dynamo.tables.transactionLog,
      publisher: bus,
      checkpointFile: join(dir, 'outbox.checkpoint.json'),
      pollIntervalMs: 10,
    });
    const logger = createLoggerHandler(
      composeLogger(
        {
          sql: db.sql,
          doc: dynamo.doc,
          transactionLogTable: dynamo.tables.transactionLog,
          auditWriter: createLocalFirehose({
            dir: join(dir, 'audit'),
            streamName: 'creditline-local-audit',
          }),
        },
        createObservability('transaction-logger'),
      ),
    );
    const dispatcher = createDispatcherHandler(
      composeDispatcher(
        {
          doc: dynamo.doc,
          transactionLogTable: dynamo.tables.transactionLog,
          webhooksTable: dynamo.tables.webhooks,
          secrets: createSecretSource({
            localSecrets: { acme: secret },
            clock: { now: () => new Date() },
          }),
          retries: callbacks.delayed,
          // Long enough that a loaded machine's slow 127.0.0.1 answer is never taken for a
          // timeout (which would send again and add an attempt); the silent receiver costs 8 of them.
          sender: createWebhookSender({ timeoutMs: 1_000 }),
        },
        {
          stage: 'local',
          partners: [{ id: 'acme', callbackHosts: ['127.0.0.1'], webhookSecretArn: 'local:acme' }],
          // The schedule's waits are tested on their own; here every retry is due at once.
          retryPolicy: immediateRetries,
          // And the breaker stays out of the way of a single failing callback.
          breaker: { failureThreshold: 100, openMs: 1, maxOpenMs: 1, maxInFlight: 100 },
        },
        createObservability('callback-dispatcher'),
      ),
    );
    const parts = [
      poller,
      createEventSourceMapping({
        queue: logQueue,
        handler: logger,
        functionName: 'transaction-logger',
        concurrency: 1,
        pollIntervalMs: 5,
      }),
      createEventSourceMapping({
        queue: callbacks,
        handler: dispatcher,
        functionName: 'callback-dispatcher',
        // Scaled time makes the visibility timeout shorter than a send: one poller, so a message
        // is never handled twice at once (in AWS the timeout is 6 × the function's).
        concurrency: 1,
        pollIntervalMs: 5,
      }),
    ];
    for (const part of parts) part.start();
    running.push(...parts);
    return {
      dir,
      logQueue,
      callbacks,
      webhooks: createWebhookStore(dynamo.doc, dynamo.tables.webhooks),
    };
  };

  /** Claims then decides, as the validator does: the CLAIMED -> DECIDED change is the outbox record. */
  const decide = async (transactionId: string, amount: number) => {
    const log = createTransactionLogStore(dynamo.doc, dynamo.tables);
    await log.claim({
      transaction_id: transactionId,
      user_id: 'user-42',
      amount,
      currency: 'USD',
      callback_url: receiverUrl,
      partner_id: 'acme',
      fingerprint: 'f',
      owner: 'o',
      attempt: 1,
      lease_until: new Date(Date.now() + 6_000).toISOString(),
    });
    await log.finalize('acme', transactionId, 1, {
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 100000 - amount,
      decided_at: new Date().toISOString(),
    });
  };
  const deliveryOf = async (transactionId: string) =>
    (
      await createTransactionLogPublication(
        dynamo.doc,
        dynamo.tables.transactionLog,
      ).storedDecision('acme', transactionId)
    )?.delivery;
  const deliveriesOf = (id: string) => deliveries.filter((delivery) => delivery.id === id);

  it('settles, audits and delivers a decision: after 3 failed answers it arrives exactly once as a 2xx', async () => {
    // Prepare
    behaviour.set('tx-flaky', { failFirst: 3 });
    const { dir, logQueue, callbacks } = startFanOut();

    // Act
    await decide('tx-flaky', 2500);
    await waitFor('the delivery', async () => (await deliveryOf('tx-flaky'))?.delivered_at != null);
    await waitFor(
      'both queues to drain',
      () =>
        logQueue.counts().inFlight +
          logQueue.counts().visible +
          callbacks.counts().inFlight +
          callbacks.counts().visible ===
        0,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Assess: the callback
    expect(deliveriesOf('tx-flaky').map((delivery) => delivery.status)).toEqual([
      503, 503, 503, 200,
    ]);
    expect(deliveriesOf('tx-flaky').every((delivery) => delivery.verified)).toBe(true);
    expect(await deliveryOf('tx-flaky')).toMatchObject({
      attempts: 4,
      last_status: 200,
      dead_lettered: false,
    });
    // Assess: the settlement and the audit
    const { rows } = await db.sql.query(
      "SELECT balance FROM credit_balance WHERE partner_id = 'acme' AND user_id = 'user-42'",
    );
    expect(rows).toEqual([{ balance: 100000 - 2500 }]);
    const partitions = join(dir, 'audit', 'audit');
    const files = readdirSync(partitions, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.json.gz'));
    const lines = files.flatMap((file) =>
      gunzipSync(readFileSync(join(partitions, file)))
        .toString('utf8')
        .trim()
        .split('\n'),
    );
    expect(
      lines.map((line) => (JSON.parse(line) as { transaction_id: string }).transaction_id),
    ).toEqual(['tx-flaky']);
    expect(callbacks.counts().deadLetters).toBe(0);
  });

  it('a callback whose receiver never answers fails for good after 8 attempts, every one recorded; replay delivers it under the same webhook-id', async () => {
    // Prepare
    behaviour.set('tx-silent', 'silent');
    const { callbacks, webhooks } = startFanOut();
    const since = new Date();

    // Act: every attempt times out, until the schedule is exhausted
    await decide('tx-silent', 100);
    await waitFor(
      'the failed delivery',
      async () => (await webhooks.delivery('acme', 'tx-silent'))?.state === 'FAILED',
      // eight sends of a second each, with the queue's polling between them
      60_000,
    );
    const failed = await webhooks.delivery('acme', 'tx-silent');
    behaviour.set('tx-silent', { failFirst: 0 });
    const replay = () =>
      replayFailedDeliveries(
        { partnerId: 'acme', since },
        { webhooks, retries: callbacks.delayed, clock: { now: () => new Date() } },
      );
    const first = await replay();
    await waitFor(
      'the replayed delivery',
      async () => (await webhooks.delivery('acme', 'tx-silent'))?.state === 'DELIVERED',
    );
    const second = await replay();

    // Assess
    expect(
      failed?.attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.outcome]),
    ).toEqual(Array.from({ length: 8 }, (_, index) => [index + 1, 'TIMEOUT', 'FAILED']));
    expect(await deliveryOf('tx-silent')).toMatchObject({ attempts: 9, last_status: 200 });
    expect(first.replayed).toEqual(['tx-silent']);
    expect(second.replayed).toEqual([]);
    expect(deliveriesOf('tx-silent').map((delivery) => delivery.status)).toEqual([200]);
    expect(await webhooks.delivery('acme', 'tx-silent')).toMatchObject({
      state: 'DELIVERED',
      webhook_id: 'tx-silent',
    });
    expect(callbacks.counts().deadLetters).toBe(0);
  });
});
