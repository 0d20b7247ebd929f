import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dayIndex, noProgramControls, type AccountControls, type ProgramControls } from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { controlsAttributeValues } from './account-controls-attributes.js';
import { accountItemKey, createControlledSpend } from './controlled-spend.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const controls = (overrides: Partial<AccountControls> = {}): AccountControls => ({
  status: 'ACTIVE',
  currency: 'USD',
  max_per_transaction: null,
  velocity_limits: [],
  balance_monitors: [],
  ...overrides,
});

describe('controlled spend: the check and the hold in one conditional write (DynamoDB Local)', () => {
  let dynamo: TestDynamo;
  let program: ProgramControls = noProgramControls;
  let spend: ReturnType<typeof createControlledSpend>;
  beforeAll(async () => {
    dynamo = await createTestDynamo();
    spend = createControlledSpend(dynamo.doc, dynamo.tables.creditCache, { programDefaults: () => program, maxAttempts: 50 });
  });

  const seed = async (user_id: string, available: number, set?: { controls: AccountControls; version: number }, extra: Record<string, unknown> = {}) => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: { ...accountItemKey({ partner_id: 'demo', user_id }), available, ...(set ? controlsAttributeValues(set.controls, set.version) : {}), ...extra },
      }),
    );
  };
  const key = (user_id: string) => ({ partner_id: 'demo', user_id });
  const one = (amount: number) => ({ amount, count: 1 as const });

  it('200 concurrent spends against a daily amount limit: exactly the limit is spent', async () => {
    await seed('u-amount', 1_000_000, { controls: controls({ velocity_limits: [{ interval: 'daily', max_amount: 5_000 }] }), version: 1 });
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => spend(key('u-amount'), one(100), NOW)));
    const remaining = outcomes.flatMap((outcome) => (outcome.type === 'permitted' ? [outcome.remaining_credit] : []));
    const reasons = new Set(outcomes.flatMap((outcome) => (outcome.type === 'rejected' ? [outcome.reason] : [])));
    expect(remaining).toHaveLength(50);
    expect([...reasons]).toEqual(['VELOCITY_LIMIT_EXCEEDED']);
    // remaining_credit is the value each commit produced: 50 distinct values down to exactly 995,000
    expect(new Set(remaining).size).toBe(50);
    expect(Math.min(...remaining)).toBe(1_000_000 - 5_000);
    const last = outcomes.find((outcome) => outcome.type === 'rejected');
    expect(last).toMatchObject({ detail: { control: 'velocity', interval: 'daily', measure: 'amount', limit: 5_000, used: 5_000, remaining: 0, requested: 100 } });
    const item = await dynamo.doc.send(new GetCommand({ TableName: dynamo.tables.creditCache, Key: accountItemKey(key('u-amount')), ConsistentRead: true }));
    expect(item.Item).toMatchObject({ available: 1_000_000 - 5_000, ud: dayIndex(NOW), uda: 5_000, udc: 50 });
    expect(item.Item).not.toHaveProperty('uw'); // a window no limit uses is not tracked
  });

  it('100 concurrent spends against a daily count limit: exactly that many are permitted', async () => {
    await seed('u-count', 1_000_000, { controls: controls({ velocity_limits: [{ interval: 'daily', max_amount: 1_000_000, max_count: 37 }] }), version: 3 });
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => spend(key('u-count'), one(1), NOW)));
    expect(outcomes.filter((outcome) => outcome.type === 'permitted')).toHaveLength(37);
    expect(outcomes.find((outcome) => outcome.type === 'rejected')).toMatchObject({ reason: 'VELOCITY_LIMIT_EXCEEDED', detail: { measure: 'count', limit: 37, used: 37, remaining: 0 } });
  });

  it('spends around midnight: each day keeps its daily limit, and rolling 24 h spans both', async () => {
    const limited = controls({ velocity_limits: [{ interval: 'daily', max_amount: 1_000 }, { interval: 'rolling_24h', max_amount: 1_500 }] });
    await seed('u-midnight', 1_000_000, { controls: limited, version: 1 });
    const lastMs = new Date('2026-12-01T23:59:59.999Z');
    const midnight = new Date('2026-12-02T00:00:00.000Z');
    const count = (outcomes: { type: string }[]) => outcomes.filter((outcome) => outcome.type === 'permitted').length;
    expect(count(await Promise.all(Array.from({ length: 20 }, () => spend(key('u-midnight'), one(100), lastMs))))).toBe(10);
    const next = await Promise.all(Array.from({ length: 40 }, () => spend(key('u-midnight'), one(100), midnight)));
    expect(count(next)).toBe(5); // the new day has room for 10, but the last 24 h only for 5
    expect(next.find((outcome) => outcome.type === 'rejected')).toMatchObject({ detail: { interval: 'rolling_24h', used: 1_500 } });
    const item = await dynamo.doc.send(new GetCommand({ TableName: dynamo.tables.creditCache, Key: accountItemKey(key('u-midnight')), ConsistentRead: true }));
    expect(item.Item).toMatchObject({ ud: dayIndex(midnight), uda: 500, udc: 5 });
  });

  it('a deposit-created item (no controls, no tallies) takes the program defaults', async () => {
    program = { max_per_transaction: 700, velocity_limits: [{ interval: 'lifetime', max_count: 2 }], balance_monitors: [] };
    try {
      await seed('u-deposit', 10_000);
      await expect(spend(key('u-deposit'), one(701), NOW)).resolves.toMatchObject({ type: 'rejected', reason: 'LIMIT_EXCEEDED' });
      await expect(spend(key('u-deposit'), one(700), NOW)).resolves.toMatchObject({ type: 'permitted', remaining_credit: 9_300 });
      await expect(spend(key('u-deposit'), one(700), NOW)).resolves.toMatchObject({ type: 'permitted', remaining_credit: 8_600 });
      await expect(spend(key('u-deposit'), one(1), NOW)).resolves.toMatchObject({ type: 'rejected', reason: 'VELOCITY_LIMIT_EXCEEDED', detail: { interval: 'lifetime', measure: 'count' } });
    } finally {
      program = noProgramControls;
    }
  });

  it('names the refusal from the item as it was when credit ran out concurrently', async () => {
    await seed('u-funds', 1_000, { controls: controls(), version: 1 });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => spend(key('u-funds'), one(100), NOW)));
    expect(outcomes.filter((outcome) => outcome.type === 'permitted')).toHaveLength(10);
    expect(outcomes.find((outcome) => outcome.type === 'rejected')).toMatchObject({ reason: 'INSUFFICIENT_FUNDS', detail: { control: 'available', remaining: 0 } });
  });

  it('an unknown account is no account, never created', async () => {
    await expect(spend(key('u-missing'), one(1), NOW)).resolves.toEqual({ type: 'no-account' });
  });
});
