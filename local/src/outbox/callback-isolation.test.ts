import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { callbacksQueue, itemKey } from '@creditline/adapters/definitions';
import { createWebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createSecretSource } from '@creditline/adapters/secrets/secret-source';
import { composeDependencies } from '@creditline/callback-dispatcher/composition';
import { createHandler } from '@creditline/callback-dispatcher/create-handler';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventSourceMapping } from '../queues/event-source-mapping.js';
import { createLocalQueue } from '../queues/local-queue.js';
import { waitFor } from '../../../e2e/support/wait-for.js';

/**
 * Isolation between partners' endpoints, measured: one partner's endpoint hangs for 3 s on
 * every call while another's answers at once, both fed through the same callbacks queue, the
 * same event source mapping (10 concurrent batches, as deployed) and the same dispatcher. The
 * prompt partner's callbacks must not arrive more than a second later than they do alone (the
 * median, measured in the same run, as this machine's own speed varies); the hanging
 * partner's are retried on the schedule and end delivered once its endpoint recovers.
 */
const HANG_MS = 3_000;
const FLOOR_MS = 1_000;
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Arrival {
  readonly id: string;
  readonly at: number;
}

const startReceiver = async (
  hang: () => boolean,
  arrivals: Arrival[],
): Promise<{ server: Server; url: string }> => {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.push({ id: String(request.headers['webhook-id']), at: Date.now() });
      if (hang()) setTimeout(() => response.writeHead(200).end(), HANG_MS);
      else response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` };
};

const decidedEvent = (transactionId: string, partnerId: string, callbackUrl: string): string =>
  JSON.stringify({
    version: '0',
    id: `evt-${transactionId}`,
    'detail-type': 'TransactionDecided',
    source: 'creditline.authorization',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {
      transaction_id: transactionId,
      user_id: 'u-1',
      amount: 100,
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 900,
      decided_at: new Date().toISOString(),
      callback_url: callbackUrl,
      partner_id: partnerId,
    },
  });

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

describe('callbacks: one hanging endpoint does not hold up another partner', () => {
  let dynamo: TestDynamo;
  const servers: Server[] = [];
  beforeAll(async () => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    process.env['POWERTOOLS_LOG_LEVEL'] = process.env['DEBUG_TEST'] ? 'WARN' : 'SILENT';
    dynamo = await createTestDynamo();
  });
  afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('an endpoint hanging 3 s per call adds under 1 s to another partner’s callbacks (median, against the same partner alone); the hanging one’s are retried on schedule and delivered', async () => {
    // Prepare
    let hanging = true;
    const slowArrivals: Arrival[] = [];
    const fastArrivals: Arrival[] = [];
    const slow = await startReceiver(() => hanging, slowArrivals);
    const fast = await startReceiver(() => false, fastArrivals);
    servers.push(slow.server, fast.server);
    const queue = createLocalQueue({
      definition: callbacksQueue,
      dir: join(mkdtempSync(join(tmpdir(), 'creditline-isolation-')), 'queues'),
    });
    const partner = (id: string) => ({
      id,
      callbackHosts: ['127.0.0.1'],
      webhookSecretArn: `local:${id}`,
    });
    const handler = createHandler(
      composeDependencies(
        {
          doc: dynamo.doc,
          transactionLogTable: dynamo.tables.transactionLog,
          webhooksTable: dynamo.tables.webhooks,
          secrets: createSecretSource({
            localSecrets: { slowbank: secret, fastbank: secret },
            clock: { now: () => new Date() },
          }),
          retries: queue.delayed,
        },
        // Shorter open periods than production's 30 s, so the test sees the recovery soon.
        {
          stage: 'local',
          partners: [partner('slowbank'), partner('fastbank')],
          breaker: { failureThreshold: 3, openMs: 3_000, maxOpenMs: 6_000, maxInFlight: 2 },
        },
        createObservability('callback-dispatcher'),
      ),
    );
    const mapping = createEventSourceMapping({
      queue,
      handler,
      functionName: 'callback-dispatcher',
      pollIntervalMs: 5,
    });
    mapping.start();
    const queuedAt = new Map<string, number>();
    const ids = Array.from({ length: 20 }, (_, index) => [
      `slow-${index}`,
      `fast-${index}`,
      `base-${index}`,
    ]).flat();
    await Promise.all(
      ids.map((id) =>
        dynamo.doc.send(
          new PutCommand({
            TableName: dynamo.tables.transactionLog,
            // Stored as the validator stores it: the dispatcher sends what is stored, to where it says.
            Item: {
              ...itemKey(id.startsWith('slow-') ? 'slowbank' : 'fastbank', id),
              partner_id: id.startsWith('slow-') ? 'slowbank' : 'fastbank',
              account_key: `${id.startsWith('slow-') ? 'slowbank' : 'fastbank'}#u-1`,
              callback_url: id.startsWith('slow-') ? slow.url : fast.url,
              transaction_id: id,
              user_id: 'u-1',
              amount: 100,
              status: 'PERMITTED',
              reason: null,
              remaining_credit: 900,
              decided_at: new Date().toISOString(),
              fingerprint: 'f',
            },
          }),
        ),
      ),
    );
    /**
     * Queues a pair every 500 ms (DynamoDB Local serializes its writes, a few deliveries a second on
     * a busy machine: faster input would measure its queueing, not isolation) and returns the
     * prompt partner's queued → received times.
     */
    const measure = async (prefix: 'base' | 'fast', withSlow: boolean): Promise<number[]> => {
      for (let index = 0; index < 20; index += 1) {
        const batch: (readonly [string, string, string])[] = [
          [`${prefix}-${index}`, 'fastbank', fast.url],
        ];
        if (withSlow) batch.unshift([`slow-${index}`, 'slowbank', slow.url]);
        for (const [id, partnerId, url] of batch) {
          queuedAt.set(id, Date.now());
          queue.send(decidedEvent(id, partnerId, url));
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const arrived = await waitFor(
        `every ${prefix} callback`,
        () => {
          const found = fastArrivals.filter((arrival) => arrival.id.startsWith(`${prefix}-`));
          return found.length >= 20 ? found : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      return arrived.map((arrival) => arrival.at - (queuedAt.get(arrival.id) ?? Number.NaN));
    };

    try {
      // Act: the prompt partner alone (the baseline on this machine), then interleaved with the hanging one
      const baseline = await measure('base', false);
      const latencies = await measure('fast', true);
      hanging = false;
      const webhooks = createWebhookStore(dynamo.doc, dynamo.tables.webhooks);
      const slowDeliveries = await waitFor(
        'every hanging-endpoint callback delivered once it recovers',
        async () => {
          const found = await Promise.all(
            Array.from({ length: 20 }, (_, index) =>
              webhooks.delivery('slowbank', `slow-${index}`),
            ),
          );
          if (process.env['DEBUG_TEST'])
            process.stdout.write(
              `${JSON.stringify(found.map((delivery) => [delivery?.transaction_id, delivery?.state, delivery?.attempts.map((attempt) => `${attempt.attempt}:${attempt.status}`).join(' ')]))}\n`,
            );
          return found.every((delivery) => delivery?.state === 'DELIVERED') ? found : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );

      // Assess: the prompt partner, against the 1 s floor
      const [base50, hang50] = [percentile(baseline, 50), percentile(latencies, 50)];
      process.stdout.write(
        `isolation: prompt partner's callbacks, queued → received, p50 / p90 / max: alone ${base50} / ${percentile(baseline, 90)} / ${Math.max(...baseline)} ms; ` +
          `beside an endpoint hanging ${HANG_MS} ms per call ${hang50} / ${percentile(latencies, 90)} / ${Math.max(...latencies)} ms; added p50 ${hang50 - base50} ms (floor: < ${FLOOR_MS} ms added)\n`,
      );
      expect(new Set(fastArrivals.map((arrival) => arrival.id)).size).toBe(40);
      expect(hang50 - base50).toBeLessThan(FLOOR_MS);
      // Assess: the hanging partner: the calls it got timed out, were retried on the schedule
      // (attempt 2 about 5 s after attempt 1), and every callback ended delivered.
      const timedOut = slowDeliveries.filter(
        (delivery) => delivery?.attempts[0]?.status === 'TIMEOUT',
      );
      expect(timedOut.length).toBeGreaterThan(0);
      for (const delivery of timedOut) {
        const [first, second] = delivery?.attempts ?? [];
        expect(first?.latency_ms).toBeGreaterThanOrEqual(HANG_MS - 100);
        expect(Date.parse(second?.at ?? '') - Date.parse(first?.at ?? '')).toBeGreaterThanOrEqual(
          4_000,
        );
      }
      // The breaker and the bulkhead kept most calls away from the hanging endpoint.
      expect(
        slowArrivals.filter((arrival) => arrival.at < (queuedAt.get('slow-19') ?? 0) + HANG_MS)
          .length,
      ).toBeLessThan(20);
    } finally {
      await mapping.stop();
    }
  }, 120_000);
});
