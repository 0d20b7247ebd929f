import { toTransactionDecidedEvent } from '@creditline/adapters/outbox/transaction-decided';
import { readWholeStream } from '@creditline/adapters/testing/read-stream';
import { transactionResponseSchema } from '@creditline/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createValidatorHarness,
  type Fault,
  type ValidatorHarness,
} from './fixtures/validator-harness.js';
import { httpEvent } from './fixtures/test-events.js';
import { createHttpHandler } from './http/http-handler.js';
import { defaultRetryPolicy } from './retry-policy.js';

/** A seeded generator, so a failing run can be replayed exactly. */
const mulberry32 = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** What AWS answers a busy or briefly sick table with; the last two leave the write's outcome unknown. */
const faultsAsAws: readonly Fault[] = [
  {
    kind: 'aws-error',
    type: 'TransactionConflictException',
    message: 'Transaction is ongoing for the item',
  },
  { kind: 'aws-error', type: 'ProvisionedThroughputExceededException' },
  { kind: 'aws-error', type: 'ThrottlingException' },
  { kind: 'aws-error', type: 'RequestLimitExceeded' },
  { kind: 'aws-error', type: 'InternalServerError', status: 500 },
  { kind: 'lost-response' },
];

const CREDIT = 20_000;

describe('TransactionConflict, throttling and lost answers injected at the SDK, on one hot user', () => {
  let harness: ValidatorHarness;
  const random = mulberry32(20261201);
  const injected = new Map<string, number>();
  let answers: {
    readonly id: string;
    readonly amount: number;
    readonly status: number;
    readonly body: unknown;
  }[];

  beforeAll(async () => {
    // Prepare: a fifth of all store calls fail, each with one of the faults above
    harness = await createValidatorHarness({
      retry: { ...defaultRetryPolicy, deadlineMs: 60_000, leaseMs: 120_000 },
      faults: () => {
        if (random() >= 0.2) return undefined;
        const fault = faultsAsAws[Math.floor(random() * faultsAsAws.length)] ?? {
          kind: 'lost-response',
        };
        const name = fault.kind === 'aws-error' ? fault.type : fault.kind;
        injected.set(name, (injected.get(name) ?? 0) + 1);
        return fault;
      },
    });
    await harness.seedCache({ user_id: 'u-sick', available: CREDIT, pending: 0, version: 0 });
    const handle = createHttpHandler(harness.deps);
    const requests = Array.from({ length: 120 }, (_, index) => ({
      id: `tx-sick-${index % 100}`,
      amount: 100 + (index % 100) * 7,
    }));

    // Act: 100 transactions, 20 of them sent twice at once
    answers = await Promise.all(
      requests.map(async ({ id, amount }) => {
        const response = await handle(
          httpEvent({
            body: { transaction_id: id, user_id: 'u-sick', amount: (amount / 100).toFixed(2) },
          }),
        );
        return {
          id,
          amount,
          status: response.statusCode,
          body: JSON.parse(response.body) as unknown,
        };
      }),
    );
    expect((await harness.runJournal()).batchItemFailures).toEqual([]);
  }, 300_000);
  afterAll(async () => {
    await harness.drop();
  });

  it('met every kind of fault for real', () => {
    for (const fault of faultsAsAws)
      expect(
        injected.get(fault.kind === 'aws-error' ? fault.type : fault.kind) ?? 0,
      ).toBeGreaterThan(0);
  });

  it('answers every request 200 with a decision: no 5xx', () => {
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    for (const answer of answers) transactionResponseSchema.parse(answer.body);
  });

  it('answers both copies of a transaction alike, as stored', async () => {
    const stored = new Map((await harness.logItems()).map((item) => [item.transaction_id, item]));
    for (const answer of answers) {
      const item = stored.get(answer.id);
      expect(answer.body).toMatchObject({
        status: item?.status,
        remaining_credit: item?.remaining_credit,
        decided_at: item?.decided_at,
      });
    }
  });

  it('holds exactly the permitted amounts once the journal has run: no double hold, no lost one', async () => {
    const items = await harness.logItems();
    expect(items).toHaveLength(100);
    const permitted = items
      .filter((item) => item.status === 'PERMITTED')
      .reduce((sum, item) => sum + item.amount, 0);
    expect(permitted).toBeLessThanOrEqual(CREDIT);
    expect(items.some((item) => item.reason === 'INSUFFICIENT_FUNDS')).toBe(true);
    expect(await harness.cacheItem('u-sick')).toMatchObject({
      available: CREDIT - permitted,
      pending: permitted,
    });
  });

  it('publishes each decision once', async () => {
    const records = await readWholeStream(
      harness.dynamo.client,
      harness.dynamo.endpoint,
      harness.dynamo.tables.transactionLog,
    );
    const published = records.flatMap((record) => {
      const mapping = toTransactionDecidedEvent(record);
      return mapping.kind === 'event' ? [String(mapping.event.detail['transaction_id'])] : [];
    });
    expect(published).toHaveLength(100);
    expect(new Set(published).size).toBe(100);
  });
});
