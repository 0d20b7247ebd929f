import { transactionResponseSchema, type TransactionResponse } from '@creditline/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHandler } from './http/http-handler.js';
import { httpEvent } from './fixtures/test-events.js';
import { createValidatorHarness, type ValidatorHarness } from './fixtures/validator-harness.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

/**
 * The production policy with a budget for this machine: DynamoDB Local on two shared cores can
 * take seconds to work through hundreds of queued requests, which is slowness, not contention.
 */
const patientPolicy: RetryPolicy = { ...defaultRetryPolicy, deadlineMs: 60_000, leaseMs: 120_000 };

/** A seeded generator, so a failing run can be replayed exactly. */
const mulberry32 = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

interface Sent {
  readonly transaction_id: string;
  readonly amount: number;
}
interface Answer {
  readonly sent: Sent;
  readonly status: number;
  readonly body: unknown;
  readonly attempts: number;
}

const CREDIT = 10_000;
const SEED = 20261125;

describe('200 concurrent requests against one user with 10,000 cents, on DynamoDB Local', () => {
  let harness: ValidatorHarness;
  let answers: Answer[];
  let requests: Sent[];

  beforeAll(async () => {
    // Prepare: 160 distinct ids; 25 exact retries of some; 15 reuses of an id with another amount
    harness = await createValidatorHarness({ retry: patientPolicy });
    await harness.seedCache({ user_id: 'u-hot', available: CREDIT, version: 0 });
    const random = mulberry32(SEED);
    const distinct: Sent[] = Array.from({ length: 160 }, (_, index) => ({
      transaction_id: `tx-${index}`,
      amount: 1 + Math.floor(random() * 1_500),
    }));
    const pick = (): Sent =>
      distinct[Math.floor(random() * distinct.length)] ?? { transaction_id: 'tx-0', amount: 1 };
    const retries = Array.from({ length: 25 }, pick);
    const conflicting = Array.from({ length: 15 }, () => {
      const original = pick();
      return {
        transaction_id: original.transaction_id,
        amount: original.amount + 1 + Math.floor(random() * 100),
      };
    });
    requests = [...distinct, ...retries, ...conflicting].sort(() => random() - 0.5);
    const handle = createHttpHandler(harness.deps);

    // A partner's client, sending each request once: contention must never need a retry.
    const send = async (sent: Sent): Promise<Answer> => {
      const body = {
        transaction_id: sent.transaction_id,
        user_id: 'u-hot',
        amount: (sent.amount / 100).toFixed(2),
      };
      const response = await handle(httpEvent({ body }));
      return { sent, status: response.statusCode, body: JSON.parse(response.body), attempts: 1 };
    };

    // Act
    answers = await Promise.all(requests.map(send));
  }, 120_000);
  afterAll(async () => {
    await harness.drop();
  });

  it('answers every request at once with a decision or a conflict: no 503', () => {
    const statuses = new Set(answers.map((answer) => answer.status));
    expect([...statuses].every((status) => status === 200 || status === 409)).toBe(true);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(160);
  });

  it('counted each permit once, and took no claim over (nothing crashed, nothing timed out)', async () => {
    // Assess
    harness.deps.metrics.publishStoredMetrics();
    const total = (name: string) =>
      harness.emitted
        .flatMap((document) => {
          const value = document[name];
          return Array.isArray(value)
            ? (value as number[])
            : typeof value === 'number'
              ? [value]
              : [];
        })
        .reduce((sum, value) => sum + value, 0);
    const permits = (await harness.logItems()).filter((item) => item.status === 'PERMITTED').length;
    expect(total('ClaimTakeOvers')).toBe(0);
    expect(total('Permitted')).toBe(permits);
  });

  it('never permits more than the credit, and leaves exactly the credit minus the permits', async () => {
    // Assess
    const items = await harness.logItems();
    const permitted = items.filter((item) => item.status === 'PERMITTED');
    const permittedSum = permitted.reduce((sum, item) => sum + item.amount, 0);
    expect(permitted.length).toBeGreaterThan(0);
    expect(items.some((item) => item.reason === 'INSUFFICIENT_FUNDS')).toBe(true);
    expect(permittedSum).toBeLessThanOrEqual(CREDIT);
    expect(await harness.cacheItem('u-hot')).toMatchObject({
      available: CREDIT - permittedSum,
      pending: permittedSum,
      version: permitted.length,
    });
  });

  it('holds exactly one decision per distinct transaction_id', async () => {
    const items = await harness.logItems();
    const ids = new Set(requests.map((sent) => sent.transaction_id));
    expect(items).toHaveLength(ids.size);
    expect(new Set(items.map((item) => item.transaction_id))).toEqual(ids);
  });

  it('answers every request for an id with the stored decision when it is the same request, 409 when it is not', async () => {
    const stored = new Map((await harness.logItems()).map((item) => [item.transaction_id, item]));
    const byId = new Map<string, Answer[]>();
    for (const answer of answers)
      byId.set(answer.sent.transaction_id, [
        ...(byId.get(answer.sent.transaction_id) ?? []),
        answer,
      ]);
    for (const [id, group] of byId) {
      const decision = stored.get(id);
      expect(decision).toBeDefined();
      const same = group.filter((answer) => answer.sent.amount === decision?.amount);
      const different = group.filter((answer) => answer.sent.amount !== decision?.amount);
      // Assess: one first answer, the rest replays of it, all equal to what is stored
      const bodies = same.map((answer) => transactionResponseSchema.parse(answer.body));
      expect(same.every((answer) => answer.status === 200)).toBe(true);
      expect(bodies.filter((body) => body.replay !== true)).toHaveLength(1);
      const expected: TransactionResponse = {
        transaction_id: id,
        status: decision?.status ?? 'REJECTED',
        reason: decision?.reason ?? null,
        remaining_credit: decision?.remaining_credit ?? -1,
        decided_at: decision?.decided_at ?? '',
      };
      for (const body of bodies)
        expect({ ...body, replay: undefined }).toEqual({ ...expected, replay: undefined });
      for (const answer of different) {
        expect(answer.status).toBe(409);
        expect(answer.body).toMatchObject({ error: { code: 'DUPLICATE_TRANSACTION_ID' } });
      }
    }
    expect(
      answers.filter(
        (answer) => answer.status === 200 && (answer.body as { replay?: boolean }).replay === true,
      ).length,
    ).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status === 409).length).toBeGreaterThan(0);
  });
});

describe('a retrying client on one hot user: 200 transactions of 1.00, each sent twice at once, against 100.00', () => {
  let harness: ValidatorHarness;
  afterAll(async () => {
    await harness.drop();
  });

  it('permits exactly 100 and rejects 100, both copies of each answered alike, no 503', async () => {
    // Prepare
    harness = await createValidatorHarness({ retry: patientPolicy });
    await harness.seedCache({ user_id: 'u-busy', available: 10_000, version: 0 });
    const handle = createHttpHandler(harness.deps);
    const ids = Array.from({ length: 200 }, (_, index) => `tx-busy-${index}`);

    // Act
    const answers = await Promise.all(
      ids.flatMap((transaction_id) =>
        [0, 1].map(async () => {
          const response = await handle(
            httpEvent({ body: { transaction_id, user_id: 'u-busy', amount: '1.00' } }),
          );
          return {
            transaction_id,
            status: response.statusCode,
            body: JSON.parse(response.body) as TransactionResponse,
          };
        }),
      ),
    );

    // Assess
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    const byId = new Map<string, TransactionResponse[]>();
    for (const answer of answers)
      byId.set(answer.transaction_id, [...(byId.get(answer.transaction_id) ?? []), answer.body]);
    for (const [, pair] of byId) {
      const [first, second] = pair.map((body) => ({ ...body, replay: undefined }));
      expect(first).toEqual(second);
    }
    const firsts = [...byId.values()].map((pair) => pair[0]);
    expect(firsts.filter((body) => body?.status === 'PERMITTED')).toHaveLength(100);
    expect(firsts.filter((body) => body?.status === 'REJECTED')).toHaveLength(100);
    expect(await harness.cacheItem('u-busy')).toMatchObject({
      available: 0,
      pending: 10_000,
      version: 100,
    });
    const items = await harness.logItems();
    expect(items).toHaveLength(200);
    // Each PERMIT reports the credit its own write left: 99.00 down to 0.00, each exactly once
    expect(
      items
        .filter((item) => item.status === 'PERMITTED')
        .map((item) => item.remaining_credit)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 100 }, (_, index) => index * 100));
  }, 120_000);
});
