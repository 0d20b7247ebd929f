import { dayIndex, transactionResponseSchema, type TransactionResponse } from '@creditline/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { httpEvent } from '../fixtures/test-events.js';
import { createValidatorHarness, type ValidatorHarness } from '../fixtures/validator-harness.js';
import { createHttpHandler } from '../http/http-handler.js';
import { defaultRetryPolicy, type RetryPolicy } from '../retry-policy.js';

/**
 * The controls enforced by the decision's own conditional write, on DynamoDB Local and Aurora
 * (embedded PostgreSQL): the check and the hold are one write, so a change of controls applies
 * to the very next decision and concurrent decisions never together pass a limit.
 */

const NOW = new Date('2026-12-01T12:00:00.000Z');
/** DynamoDB Local on two shared cores takes seconds for hundreds of queued writes: slowness, not contention. */
const patient: RetryPolicy = { ...defaultRetryPolicy, deadlineMs: 60_000, leaseMs: 120_000 };
const USER = 'user-7';
const PATH = `/v1/users/${USER}/controls`;

/** A seeded generator, so a failing run can be replayed exactly. */
const mulberry32 = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('controls enforced in the hold’s conditional write', () => {
  let harness: ValidatorHarness;
  afterEach(async () => {
    await harness.drop();
  });

  const setUp = async (credit: number) => {
    harness = await createValidatorHarness({ clock: { now: () => NOW }, retry: patient });
    await harness.seedBooks({ user_id: USER, balance: credit });
    await harness.seedCache({ user_id: USER, available: credit, version: 0 });
    const handle = createHttpHandler(harness.deps);
    const authorize = async (transaction_id: string, cents: number): Promise<TransactionResponse> => {
      const response = await handle(
        httpEvent({ body: { transaction_id, user_id: USER, amount: (cents / 100).toFixed(2) } }),
      );
      expect(response.statusCode).toBe(200);
      return transactionResponseSchema.parse(JSON.parse(response.body));
    };
    const put = async (body: unknown, ifMatch?: string) => {
      const event = httpEvent({ method: 'PUT', path: PATH, body });
      if (ifMatch !== undefined) event.headers['if-match'] = ifMatch;
      const response = await handle(event);
      expect(response.statusCode).toBe(200);
      return JSON.parse(response.body) as { version: number };
    };
    /** A partner's client that re-sends a change the API answered 412 (it lost a race). */
    const change = async (body: unknown): Promise<{ version: number }> => {
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const response = await handle(httpEvent({ method: 'PUT', path: PATH, body }));
        if (response.statusCode === 200) return JSON.parse(response.body) as { version: number };
        expect(response.statusCode).toBe(412);
      }
      throw new Error('the change never landed');
    };
    return { authorize, put, change };
  };

  it('a suspension takes effect on the very next decision, and a reactivation too', async () => {
    const { authorize, put } = await setUp(10_000);
    // This instance has seen the account (it remembers the image its last write returned).
    expect((await authorize('tx-before', 100)).status).toBe('PERMITTED');

    await put({ status: 'SUSPENDED' }, '"0"');
    const refused = await authorize('tx-suspended', 100);
    expect(refused).toMatchObject({
      status: 'REJECTED',
      reason: 'ACCOUNT_SUSPENDED',
      detail: { control: 'status', status: 'SUSPENDED' },
    });

    await put({ status: 'ACTIVE' }, '"1"');
    expect(await authorize('tx-after', 100)).toMatchObject({ status: 'PERMITTED', remaining_credit: 9_800 });
    expect(await harness.cacheItem(USER)).toMatchObject({ available: 9_800, pending: 200, cv: 2 });
  });

  it('200 concurrent decisions never pass a daily amount limit, and refuse only what would pass it', async () => {
    const LIMIT = 5_000;
    const { authorize, put } = await setUp(1_000_000);
    await put({ velocity_limits: [{ interval: 'daily', max_amount: (LIMIT / 100).toFixed(2) }] }, '"0"');
    const random = mulberry32(20261201);
    const amounts = Array.from({ length: 200 }, () => 1 + Math.floor(random() * 120));

    const answers = await Promise.all(amounts.map((amount, index) => authorize(`tx-${index}`, amount)));

    const permitted = amounts.filter((_, index) => answers[index]?.status === 'PERMITTED');
    const spent = permitted.reduce((sum, amount) => sum + amount, 0);
    expect(spent).toBeLessThanOrEqual(LIMIT);
    // Tallies only grow: a refusal was right if, even at the end, its amount would not fit.
    for (const [index, answer] of answers.entries()) {
      if (answer.status === 'PERMITTED') continue;
      expect(answer.reason).toBe('VELOCITY_LIMIT_EXCEEDED');
      expect(spent + (amounts[index] ?? 0)).toBeGreaterThan(LIMIT);
      expect(answer.detail).toMatchObject({ control: 'velocity', interval: 'daily', measure: 'amount', limit: LIMIT });
    }
    expect(await harness.cacheItem(USER)).toMatchObject({
      available: 1_000_000 - spent,
      pending: spent,
      ud: dayIndex(NOW),
      uda: spent,
      udc: permitted.length,
    });
  }, 120_000);

  it('200 concurrent decisions against a daily count limit: exactly that many are permitted', async () => {
    const COUNT = 37;
    const { authorize, put } = await setUp(1_000_000);
    await put({ velocity_limits: [{ interval: 'daily', max_count: COUNT }] }, '"0"');

    const answers = await Promise.all(Array.from({ length: 200 }, (_, index) => authorize(`tx-${index}`, 1)));

    expect(answers.filter((answer) => answer.status === 'PERMITTED')).toHaveLength(COUNT);
    const refused = answers.filter((answer) => answer.status === 'REJECTED');
    expect(refused.every((answer) => answer.reason === 'VELOCITY_LIMIT_EXCEEDED')).toBe(true);
    expect(refused[0]?.detail).toMatchObject({ measure: 'count', limit: COUNT, used: COUNT, remaining: 0 });
    expect(await harness.cacheItem(USER)).toMatchObject({ udc: COUNT, uda: COUNT, pending: COUNT });
  }, 120_000);

  it('controls changed while decisions are in flight: no update lost, on either side', async () => {
    const { authorize, put, change } = await setUp(1_000_000);
    await put({ velocity_limits: [{ interval: 'daily', max_amount: '1000.00' }] }, '"0"');
    // Ten changes without If-Match (each merges over the latest version) race 100 decisions.
    const changes = Array.from({ length: 10 }, (_, index) =>
      change({ velocity_limits: [{ interval: 'daily', max_amount: `${1_000 + index}.00`, max_count: 500 + index }] }),
    );
    const decisions = Array.from({ length: 100 }, (_, index) => authorize(`tx-${index}`, 10 + index));
    const [versions, answers] = await Promise.all([Promise.all(changes), Promise.all(decisions)]);

    // every decision is permitted (the limits always leave room), every change got its own version
    expect(answers.every((answer) => answer.status === 'PERMITTED')).toBe(true);
    expect(new Set(versions.map((answer) => answer.version)).size).toBe(10);
    const spent = Array.from({ length: 100 }, (_, index) => 10 + index).reduce((sum, amount) => sum + amount, 0);
    const item = await harness.cacheItem(USER);
    // the item carries the latest controls, and every hold's tally
    expect(item).toMatchObject({ cv: 11, available: 1_000_000 - spent, uda: spent, udc: 100 });
    const { rows } = await harness.db.sql.query(
      `SELECT controls_version FROM users WHERE user_id = '${USER}'`,
    );
    expect(rows).toEqual([{ controls_version: 11 }]);
    const latest = (item?.['vl'] as { d?: { a?: number; c?: number } } | undefined)?.d;
    expect(latest).toBeDefined();
  }, 120_000);

  describe('request deadlines: decided after the deadline is REJECTED EXPIRED, never held', () => {
    const request = (extra: Record<string, unknown> = {}) => ({
      body: { transaction_id: 'tx-late', user_id: USER, amount: '10.00', ...extra },
      partner_id: 'acme',
      onInvalidAmount: 'refuse' as const,
    });

    it.each([
      ['an expires_at already past', request({ expires_at: '2026-12-01T11:59:59.999Z' }), undefined],
      // the bus's retries brought the event back long after its own time
      ['an event older than its longest wait', request(), new Date(NOW.getTime() - 16 * 60_000)],
    ])('%s', async (_name, command, eventTime) => {
      await setUp(10_000);
      const outcome = await harness.deps.authorize({ ...command, ...(eventTime ? { event_time: eventTime } : {}) });
      expect(outcome).toMatchObject({
        type: 'decided',
        decision: { status: 'REJECTED', reason: 'EXPIRED', remaining_credit: 10_000, detail: { control: 'deadline', decided_at: NOW.toISOString() } },
      });
      expect(await harness.cacheItem(USER)).toMatchObject({ available: 10_000 });
      expect(await harness.cacheItem(USER)).not.toHaveProperty('pending');
    });

    it('a deadline still ahead (or exactly now) decides as usual', async () => {
      await setUp(10_000);
      const outcome = await harness.deps.authorize({
        ...request({ expires_at: NOW.toISOString() }),
        event_time: new Date(NOW.getTime() - 60_000),
      });
      expect(outcome).toMatchObject({ type: 'decided', decision: { status: 'PERMITTED', remaining_credit: 9_000 } });
    });
  });
});
