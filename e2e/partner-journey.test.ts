import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type Delivery } from '../local/src/webhook-receiver.js';
import { DEFAULT_LOCAL_PARTNER, localPartner } from '../local/src/identity/local-partners.js';
import { readAuditFiles } from './support/audit-files.js';
import { readBooks } from './support/books.js';
import { expectCleanCtrlC } from './support/clean-stop.js';
import { runCli } from './support/cli-process.js';
import { assertWebhookConforms, openApiDocument } from './support/contract.js';
import { depositCsv, type DepositLine } from './support/deposit-files.js';
import {
  authorize,
  balanceOf,
  transactionOf,
  publishTransactionRequested,
  readDepositObject,
  uploadDepositFile,
  waitForSummary,
} from './support/partner.js';
import {
  createDataDir,
  freePorts,
  removeDataDir,
  reapEarlierRuns,
  startRuntimeProcess,
  type RuntimeProcess,
} from './support/runtime-process.js';
import { waitFor } from './support/wait-for.js';

/**
 * A partner's day against `creditline start`, run as a child process: a deposit file uploaded
 * with the S3 SDK, transactions authorized over HTTP and requested through EventBridge, signed
 * callbacks received on 127.0.0.1 (one refused at first, to see the retry), then the audit
 * files, the books and reconciliation checked against what was sent. The tests run in order
 * and share the runtime: each checks one outcome of the same journey.
 */
const T = '2026-01-15T09:00:00Z';
const deposits: DepositLine[] = [
  { user_id: 'e2e-ana', amount: '100.00', deposit_id: 'e2e-dep-1', timestamp: T },
  { user_id: 'e2e-ben', amount: '30.00', deposit_id: 'e2e-dep-2', timestamp: T },
  { user_id: 'e2e-ana', amount: '50.00', deposit_id: 'e2e-dep-3', timestamp: T },
  { user_id: 'e2e-cid', amount: '12.34', deposit_id: 'e2e-dep-4', timestamp: T },
  { user_id: 'e2e-dee', amount: '25.00', deposit_id: 'e2e-dep-5', timestamp: T },
  { user_id: 'e2e-eve', amount: '1.234', deposit_id: 'e2e-dep-6', timestamp: T },
];
const KEY = 'inbox/demo/e2e-2026-01-15.csv';

interface Decided {
  readonly transaction_id: string;
  readonly user_id: string;
  /** Cents. */
  readonly amount: number;
  readonly status: 'PERMITTED' | 'REJECTED';
  readonly reason: string | null;
  readonly remaining_credit: number;
  /** Which receiver is called back, if any. */
  readonly callback?: 'prompt' | 'flaky';
}

/** The HTTP requests and the decisions they must get, in the order they are sent. */
const httpCases: readonly Decided[] = [
  {
    transaction_id: 'e2e-tx-1',
    user_id: 'e2e-ana',
    amount: 4_000,
    status: 'PERMITTED',
    reason: null,
    remaining_credit: 11_000,
    callback: 'prompt',
  },
  {
    transaction_id: 'e2e-tx-2',
    user_id: 'e2e-ana',
    amount: 20_000,
    status: 'REJECTED',
    reason: 'INSUFFICIENT_FUNDS',
    remaining_credit: 11_000,
    callback: 'prompt',
  },
  {
    transaction_id: 'e2e-tx-3',
    user_id: 'e2e-ben',
    amount: 3_000,
    status: 'PERMITTED',
    reason: null,
    remaining_credit: 0,
    callback: 'flaky',
  },
  {
    transaction_id: 'e2e-tx-4',
    user_id: 'e2e-ben',
    amount: 1,
    status: 'REJECTED',
    reason: 'INSUFFICIENT_FUNDS',
    remaining_credit: 0,
  },
  {
    transaction_id: 'e2e-tx-5',
    user_id: 'e2e-zed',
    amount: 100,
    status: 'REJECTED',
    reason: 'UNKNOWN_USER',
    remaining_credit: 0,
    callback: 'prompt',
  },
  {
    transaction_id: 'e2e-tx-6',
    user_id: 'e2e-cid',
    amount: 1_234,
    status: 'PERMITTED',
    reason: null,
    remaining_credit: 0,
  },
];
/** TransactionRequested events published to EventBridge, each with a callback. */
const eventCases: readonly Decided[] = [
  {
    transaction_id: 'e2e-evt-1',
    user_id: 'e2e-dee',
    amount: 1_000,
    status: 'PERMITTED',
    reason: null,
    remaining_credit: 1_500,
    callback: 'prompt',
  },
  {
    transaction_id: 'e2e-evt-2',
    user_id: 'e2e-dee',
    amount: 5_000,
    status: 'REJECTED',
    reason: 'INSUFFICIENT_FUNDS',
    remaining_credit: 1_500,
    callback: 'prompt',
  },
];
const allCases = [...httpCases, ...eventCases];
/** What the partner is answered (and called back with) for a case: a decline says why, for a machine. */
const answerOf = (request: Decided) => ({
  transaction_id: request.transaction_id,
  status: request.status,
  reason: request.reason,
  remaining_credit: request.remaining_credit,
  decided_at: expect.any(String) as string,
  ...(request.reason === 'INSUFFICIENT_FUNDS'
    ? {
        detail: {
          control: 'available',
          requested: request.amount,
          remaining: request.remaining_credit,
        },
      }
    : {}),
});
/** deposits minus permits, in cents. */
const expectedBalances = new Map([
  ['e2e-ana', 11_000],
  ['e2e-ben', 0],
  ['e2e-cid', 0],
  ['e2e-dee', 1_500],
]);

const decimal = (cents: number): string =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

describe('a partner against the started runtime', () => {
  let dataDir: string;
  let runtime: RuntimeProcess | undefined;
  const info = () => {
    if (!runtime) throw new Error('the runtime did not start');
    return runtime.info;
  };
  const receivers: Partial<
    Record<'prompt' | 'flaky', Awaited<ReturnType<typeof startWebhookReceiver>>>
  > = {};
  const deliveries = (): Delivery[] => [
    ...(receivers.prompt?.deliveries ?? []),
    ...(receivers.flaky?.deliveries ?? []),
  ];
  const callbackUrl = (which: 'prompt' | 'flaky'): string => `${receivers[which]?.url ?? ''}/hook`;

  beforeAll(async () => {
    await reapEarlierRuns();
    dataDir = createDataDir();
    const secret = localPartner(DEFAULT_LOCAL_PARTNER).webhookSecret;
    [runtime, receivers.prompt, receivers.flaky] = await Promise.all([
      freePorts().then((ports) => startRuntimeProcess(dataDir, ports)),
      startWebhookReceiver({ port: 0, secret }),
      startWebhookReceiver({ port: 0, secret, failFirst: 1 }),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([receivers.prompt?.stop(), receivers.flaky?.stop()]);
    await (runtime ? expectCleanCtrlC(runtime) : removeDataDir(dataDir));
  }, 120_000);

  it('serves its published contract at GET /openapi.json', async () => {
    // Act
    const response = await fetch(`${info().apiUrl}/openapi.json`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(openApiDocument);
  });

  it('credits the good rows of a CSV uploaded with the S3 SDK and reports the bad one', async () => {
    // Act
    await uploadDepositFile(info(), KEY, depositCsv(deposits));
    const summary = await waitForSummary(info(), KEY);

    // Assess
    expect(summary).toMatchObject({
      status: 'PROCESSED',
      rows: 6,
      accepted: 5,
      duplicates: 0,
      rejected: 1,
      credited_amount: 21_734,
    });
    const errors = await readDepositObject(info(), 'rejected/demo/e2e-2026-01-15.csv.errors.csv');
    expect(errors?.trim().split('\n')).toEqual([
      'line,row,reason,message',
      expect.stringMatching(/^7,".*e2e-dep-6.*",INVALID_AMOUNT,/),
    ]);
  }, 90_000);

  it('answers each HTTP authorization with its decision', async () => {
    // Act
    const answers = [];
    for (const request of httpCases)
      answers.push(
        await authorize(info(), {
          transaction_id: request.transaction_id,
          user_id: request.user_id,
          amount: decimal(request.amount),
          ...(request.callback ? { callback_url: callbackUrl(request.callback) } : {}),
        }),
      );

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(httpCases.map(() => 200));
    expect(answers.map((answer) => answer.body)).toEqual(httpCases.map(answerOf));
  });

  it('answers a retried request with the stored decision, a reused id with 409, bad input with 400', async () => {
    // Prepare
    const first = httpCases[0];
    if (!first) throw new Error('no case');
    const request = {
      transaction_id: first.transaction_id,
      user_id: first.user_id,
      amount: decimal(first.amount),
      callback_url: callbackUrl('prompt'),
    };

    // Act
    const retried = await authorize(info(), request);
    const reused = await authorize(info(), { ...request, amount: '1.00' });
    const invalid = await authorize(info(), {
      transaction_id: 'e2e-tx-bad',
      user_id: 'e2e-cid',
      amount: '1.234',
    });

    // Assess
    expect(retried).toEqual({
      status: 200,
      body: {
        transaction_id: first.transaction_id,
        status: 'PERMITTED',
        reason: null,
        remaining_credit: 11_000,
        decided_at: expect.any(String) as string,
        replay: true,
      },
    });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ error: { code: 'DUPLICATE_TRANSACTION_ID' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  });

  it('decides TransactionRequested events published to EventBridge and calls the partner back', async () => {
    // Act
    const published = await publishTransactionRequested(
      info(),
      eventCases.map((request) => ({
        transaction_id: request.transaction_id,
        user_id: request.user_id,
        amount: decimal(request.amount),
        callback_url: callbackUrl('prompt'),
      })),
    );
    const callbacks = await waitFor('the callbacks of the EventBridge requests', () => {
      const found = eventCases.map((request) =>
        deliveries().find(
          (delivery) => delivery.id === request.transaction_id && delivery.answered === 200,
        ),
      );
      return found.every((delivery) => delivery !== undefined) ? found : undefined;
    });

    // Assess
    expect(published.FailedEntryCount).toBe(0);
    expect(callbacks.map((delivery) => delivery.payload)).toEqual(eventCases.map(answerOf));
    const stored = await transactionOf(info(), 'e2e-evt-1');
    expect(stored.body).toMatchObject({
      transaction_id: 'e2e-evt-1',
      status: 'PERMITTED',
      remaining_credit: 1_500,
    });
  });

  it('delivers every callback signed, once as a 2xx, retrying the one refused at first', async () => {
    // Prepare
    const withCallback = allCases.filter((request) => request.callback !== undefined);

    // Act: the refused attempt comes back after the callbacks queue's backoff (15-30 s).
    await waitFor(
      'a 2xx delivery of every callback',
      () =>
        withCallback.every((request) =>
          deliveries().some(
            (delivery) => delivery.id === request.transaction_id && delivery.answered === 200,
          ),
        )
          ? true
          : undefined,
      { timeoutMs: 75_000, intervalMs: 500 },
    );

    // Assess
    const all = deliveries();
    expect(all.every((delivery) => delivery.verified)).toBe(true);
    for (const delivery of all) assertWebhookConforms('TransactionDecided', delivery.payload);
    const delivered = all.filter((delivery) => delivery.answered === 200);
    expect(delivered.map((delivery) => delivery.id).sort()).toEqual(
      withCallback.map((request) => request.transaction_id).sort(),
    );
    for (const delivery of delivered) {
      const request = withCallback.find((candidate) => candidate.transaction_id === delivery.id);
      expect(delivery.payload).toMatchObject({
        transaction_id: request?.transaction_id,
        status: request?.status,
        reason: request?.reason,
        remaining_credit: request?.remaining_credit,
      });
    }
    expect(
      receivers.flaky?.deliveries.map((delivery) => [
        delivery.id,
        delivery.attempt,
        delivery.answered,
      ]),
    ).toEqual([
      ['e2e-tx-3', 1, 503],
      ['e2e-tx-3', 2, 200],
    ]);
  }, 90_000);

  it('writes every decision to the audit files, partitioned by date', async () => {
    // Act
    const files = await waitFor('every decision in the audit files', () => {
      const found = readAuditFiles(dataDir);
      const ids = new Set(
        found.flatMap((file) => file.records.map((record) => record['transaction_id'])),
      );
      return allCases.every((request) => ids.has(request.transaction_id)) ? found : undefined;
    });

    // Assess
    const records = files.flatMap((file) => file.records);
    expect(records.map((record) => record['transaction_id']).sort()).toEqual(
      allCases.map((request) => request.transaction_id).sort(),
    );
    for (const request of allCases) {
      expect(
        records.find((record) => record['transaction_id'] === request.transaction_id),
      ).toMatchObject({
        user_id: request.user_id,
        amount: request.amount,
        status: request.status,
        reason: request.reason,
        remaining_credit: request.remaining_credit,
        partner_id: DEFAULT_LOCAL_PARTNER,
      });
    }
    for (const file of files)
      expect(file.path).toMatch(
        /^audit\/year=\d{4}\/month=\d{2}\/day=\d{2}\/creditline-local-audit-1-[\d-]+-[0-9a-f-]+\.json\.gz$/,
      );
  });

  it('settles every decision into Aurora, and reconcile finds zero drift', async () => {
    // Prepare
    await waitFor('every decision settled in Aurora', async () => {
      const books = await readBooks(info());
      return allCases.every((request) => books.settledTransactions.has(request.transaction_id))
        ? true
        : undefined;
    });

    // Act
    const result = await runCli(['reconcile', '--data-dir', dataDir]);

    // Assess
    expect(result.stdout).toContain('drifted users         0');
    expect(result.stdout).toContain('differences           0');
    expect(result.stdout).toContain('the books balance.');
    expect(result.code).toBe(0);
  }, 90_000);

  it('leaves every balance at deposits minus permits, in the API, CreditCache and Aurora', async () => {
    // Act
    const answers = await Promise.all(
      [...expectedBalances.keys()].map((user) => balanceOf(info(), user)),
    );
    const books = await readBooks(info());

    // Assess
    expect(answers.map((answer) => [answer.body['user_id'], answer.body['available']])).toEqual([
      ...expectedBalances.entries(),
    ]);
    expect(books.cacheAvailable).toEqual(expectedBalances);
    expect(books.auroraBalance).toEqual(expectedBalances);
  });
});
