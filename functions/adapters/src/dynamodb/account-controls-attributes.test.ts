import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  applySpendPlan,
  dayIndex,
  hourIndex,
  MAX_VELOCITY_AMOUNT,
  MAX_VELOCITY_COUNT,
  monthIndex,
  noProgramControls,
  planControlledHold,
  planSpend,
  weekIndex,
  type AccountControls,
  type ControlledAccountState,
} from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  controlsAttributeValues,
  packClosedBuckets,
  readControlledItem,
  unpackClosedBuckets,
} from './account-controls-attributes.js';
import { accountOperationUpdate } from './account-operation-update.js';
import { createControlsCacheStore } from './controls-cache-store.js';
import { creditCacheKey } from './credit-cache-item.js';
import { createCreditCacheStore } from './credit-cache-store.js';

/** DynamoDB's item size rules (names + values; numbers ~1 byte per 2 significant digits + 1). */
const sizeOf = (value: unknown): number => {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number')
    return (
      Math.ceil(
        String(Math.abs(value))
          .replace(/^0+|0+$/g, '')
          .replace('.', '').length / 2,
      ) + 1
    );
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value))
    return 3 + value.reduce((total: number, element) => total + 1 + sizeOf(element), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (total, [name, element]) => total + Buffer.byteLength(name) + 1 + sizeOf(element),
      0,
    )
  );
};
const itemSize = (item: Record<string, unknown>) =>
  Object.entries(item).reduce(
    (total, [name, value]) => total + Buffer.byteLength(name) + sizeOf(value),
    0,
  );

const NOW = new Date('2026-12-01T12:34:56.000Z');

describe('the controls and tallies on the account item', () => {
  it('packs the 24 closed rolling hours and reads them back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: Number.MAX_SAFE_INTEGER }), { minLength: 24, maxLength: 24 }),
        fc.array(fc.nat({ max: MAX_VELOCITY_COUNT }), { minLength: 24, maxLength: 24 }),
        (amounts, counts) => {
          // saturated at the largest limits: beyond them every limit refuses either way
          expect(unpackClosedBuckets(packClosedBuckets(amounts, counts))).toEqual({
            amounts: amounts.map((amount) => Math.min(amount, MAX_VELOCITY_AMOUNT)),
            counts,
          });
        },
      ),
    );
    expect(packClosedBuckets(Array(24).fill(0), Array(24).fill(0)).byteLength).toBe(48);
    expect(() => unpackClosedBuckets(Uint8Array.from([1, 2, 3]))).toThrow('malformed');
  });

  it('keeps the worst case of controls and tallies under half of the 1 KB item', () => {
    const worst: AccountControls = {
      status: 'SUSPENDED',
      currency: 'USD',
      max_per_transaction: 99_999_999_999,
      velocity_limits: (['daily', 'weekly', 'monthly', 'rolling_24h', 'lifetime'] as const).map(
        (interval) => ({ interval, max_amount: 99_999_999_999, max_count: MAX_VELOCITY_COUNT }),
      ),
      balance_monitors: [99_999_999_999, 99_999_999_998, 99_999_999_997],
    };
    const big = 99_999_999_999_99; // a tally far beyond any credit
    const attributes = {
      ...controlsAttributeValues(worst, 2_000_000_000),
      ud: dayIndex(NOW),
      uda: big,
      udc: MAX_VELOCITY_COUNT,
      uw: weekIndex(NOW),
      uwa: big,
      uwc: MAX_VELOCITY_COUNT,
      um: monthIndex(NOW),
      uma: big,
      umc: MAX_VELOCITY_COUNT,
      uh: hourIndex(NOW),
      uha: big,
      uhc: MAX_VELOCITY_COUNT,
      uhp: packClosedBuckets(Array(24).fill(2 ** 40), Array(24).fill(2 ** 20)), // 1e10 cents and a million authorizations in every hour
      ula: Number.MAX_SAFE_INTEGER,
      ulc: MAX_VELOCITY_COUNT,
    };
    const size = itemSize(attributes);
    // a typical account: one daily limit, a few spends
    const typical = {
      ...controlsAttributeValues(
        {
          ...worst,
          status: 'ACTIVE',
          velocity_limits: [{ interval: 'daily', max_amount: 50_000 }],
          balance_monitors: [],
        },
        3,
      ),
      ud: dayIndex(NOW),
      uda: 4_200,
      udc: 3,
      uw: weekIndex(NOW),
      uwa: 4_200,
      uwc: 3,
      um: monthIndex(NOW),
      uma: 9_900,
      umc: 8,
      uh: hourIndex(NOW),
      uha: 1_200,
      uhc: 1,
      uhp: packClosedBuckets(Array(24).fill(0), Array(24).fill(0)),
      ula: 123_456,
      ulc: 40,
    };
    console.info(
      `controls + tallies on the account item: worst case ${size} B, typical ${itemSize(typical)} B`,
    );
    expect(size).toBeLessThanOrEqual(512);
    expect(itemSize(typical)).toBeLessThanOrEqual(256);
  });

  describe('the whole account item, written by the real paths, on DynamoDB Local', () => {
    let dynamo: TestDynamo;
    beforeAll(async () => {
      dynamo = await createTestDynamo();
    });

    it('stays within one write unit (≤ 1 KB) with every control and every window, ids of up to 64 characters', async () => {
      // Ids of 64 characters and a 31-character partner: the item holds the user id twice (in
      // `pk` and as `user_id`) and the transaction id once (the stamp). At the contract's 128
      // characters for both ids the same item measures 1,076 B + the partner: 2 write units in that
      // corner only (docs/commit.md, "Item size").
      const partner = 'p'.repeat(31);
      const userKey = 'u'.repeat(64);
      const transactionKey = 't'.repeat(64);
      const max = MAX_VELOCITY_AMOUNT;
      const worst: AccountControls = {
        status: 'ACTIVE',
        currency: 'USD',
        max_per_transaction: Number.MAX_SAFE_INTEGER,
        velocity_limits: (['daily', 'weekly', 'monthly', 'rolling_24h', 'lifetime'] as const).map(
          (interval) => ({ interval, max_amount: max, max_count: MAX_VELOCITY_COUNT }),
        ),
        balance_monitors: [max, max - 1, max - 2],
      };
      // Every tally one authorization short of its limit, every closed hour as full as a safe integer allows.
      const nearly = { amount: max - 1, count: MAX_VELOCITY_COUNT - 1 };
      await dynamo.doc.send(
        new PutCommand({
          TableName: dynamo.tables.creditCache,
          Item: {
            ...creditCacheKey(partner, userKey),
            partner_id: partner,
            user_id: userKey,
            available: Number.MAX_SAFE_INTEGER - 1,
            pending: Number.MAX_SAFE_INTEGER - 1,
            version: Number.MAX_SAFE_INTEGER - 1,
            ud: dayIndex(NOW),
            uda: nearly.amount,
            udc: nearly.count,
            uw: weekIndex(NOW),
            uwa: nearly.amount,
            uwc: nearly.count,
            um: monthIndex(NOW),
            uma: nearly.amount,
            umc: nearly.count,
            uh: hourIndex(NOW),
            uha: 0,
            uhc: 0,
            uhp: packClosedBuckets(
              Array(24).fill(Number.MAX_SAFE_INTEGER),
              Array(24).fill(MAX_VELOCITY_COUNT),
            ),
            ula: nearly.amount,
            ulc: nearly.count,
          },
        }),
      );
      const key = { partner_id: partner, user_id: userKey };
      // Closed hours that full would refuse any rolling amount limit: that one limits the count only.
      const controls = {
        ...worst,
        velocity_limits: worst.velocity_limits.map((limit) =>
          limit.interval === 'rolling_24h'
            ? { interval: limit.interval, max_count: MAX_VELOCITY_COUNT * 30 }
            : limit,
        ),
      };
      await expect(
        createControlsCacheStore(dynamo.doc, dynamo.tables.creditCache).write(
          key,
          controls,
          1_999_999_999,
        ),
      ).resolves.toBe('written');
      const cache = createCreditCacheStore(dynamo.doc, dynamo.tables.creditCache);
      const planned = planControlledHold({
        request: { transaction_id: transactionKey, user_id: userKey, amount: 1, currency: 'USD' },
        account: await cache.read(partner, userKey),
        program: noProgramControls,
        deadline: null,
        now: NOW,
        stamp: { key: transactionKey, attempt: 999_999, at: NOW.toISOString() },
      });
      if (planned.kind !== 'hold') throw new Error(`expected a hold: ${JSON.stringify(planned)}`);
      expect(Object.keys(planned.plan.windows ?? {})).toHaveLength(5);
      await expect(cache.apply(partner, planned.plan)).resolves.toMatchObject({ kind: 'applied' });
      const stored = await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.creditCache,
          Key: creditCacheKey(partner, userKey),
          ConsistentRead: true,
        }),
      );
      const size = itemSize(stored.Item ?? {});
      console.info(`the account item, every control, 64-character ids: ${size} B`);
      expect(stored.Item?.['last_op']).toMatchObject({
        w: { d: dayIndex(NOW), h: hourIndex(NOW), l: 0 },
      });
      expect(size).toBeLessThanOrEqual(1024);
    });
  });

  describe('on DynamoDB Local, the rendered write does exactly what applySpendPlan says', () => {
    let dynamo: TestDynamo;
    beforeAll(async () => {
      dynamo = await createTestDynamo();
    });

    const stateArb = fc.record({
      daily: fc.option(
        fc.record({
          start: fc.constantFrom(dayIndex(NOW) - 1, dayIndex(NOW), dayIndex(NOW) + 1),
          amount: fc.nat({ max: 3_000 }),
          count: fc.nat({ max: 5 }),
        }),
        { nil: null },
      ),
      rolling: fc.option(
        fc.record({
          hour: fc.constantFrom(
            hourIndex(NOW) - 30,
            hourIndex(NOW) - 3,
            hourIndex(NOW) - 1,
            hourIndex(NOW),
          ),
          amount: fc.nat({ max: 3_000 }),
          count: fc.nat({ max: 5 }),
          past: fc.array(fc.nat({ max: 300 }), { minLength: 24, maxLength: 24 }),
        }),
        { nil: null },
      ),
      lifetime: fc.option(
        fc.record({ amount: fc.nat({ max: 9_000 }), count: fc.nat({ max: 9 }) }),
        { nil: null },
      ),
      version: fc.constantFrom(0, 1, 2),
      available: fc.nat({ max: 5_000 }),
    });
    const limits: AccountControls = {
      status: 'ACTIVE',
      currency: 'USD',
      max_per_transaction: null,
      velocity_limits: [
        { interval: 'daily', max_amount: 3_000, max_count: 6 },
        { interval: 'rolling_24h', max_amount: 6_000 },
        { interval: 'lifetime', max_amount: 10_000, max_count: 12 },
      ],
      balance_monitors: [],
    };

    it('for planned-from and written-to states drawn at random', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          stateArb,
          stateArb,
          fc.integer({ min: 1, max: 1_500 }),
          async (seenRaw, storedRaw, amount) => {
            run += 1;
            const toState = (raw: typeof seenRaw): ControlledAccountState => ({
              controls: limits,
              controls_version: raw.version,
              available: raw.available,
              usage: {
                daily: raw.daily,
                weekly: null,
                monthly: null,
                rolling_24h:
                  raw.rolling === null
                    ? null
                    : {
                        hour: raw.rolling.hour,
                        amount: raw.rolling.amount,
                        count: raw.rolling.count,
                        past_amounts: raw.rolling.past,
                        past_counts: raw.rolling.past.map(() => 0),
                      },
                lifetime: raw.lifetime,
              },
            });
            const seen = toState(seenRaw);
            const stored = toState(storedRaw);
            const planned = planSpend(seen, { amount, count: 1 }, NOW);
            if (planned.verdict !== 'PERMIT') return;
            const expected = applySpendPlan(stored, planned.plan);
            const user_id = `u-${run}`;
            const usage = stored.usage;
            await dynamo.doc.send(
              new PutCommand({
                TableName: dynamo.tables.creditCache,
                Item: {
                  pk: `demo#${user_id}`,
                  user_id,
                  available: stored.available,
                  ...(stored.controls_version > 0 ? { cv: stored.controls_version } : {}),
                  ...(usage.daily
                    ? { ud: usage.daily.start, uda: usage.daily.amount, udc: usage.daily.count }
                    : {}),
                  ...(usage.rolling_24h
                    ? {
                        uh: usage.rolling_24h.hour,
                        uha: usage.rolling_24h.amount,
                        uhc: usage.rolling_24h.count,
                        uhp: packClosedBuckets(
                          usage.rolling_24h.past_amounts,
                          usage.rolling_24h.past_counts,
                        ),
                      }
                    : {}),
                  ...(usage.lifetime
                    ? { ula: usage.lifetime.amount, ulc: usage.lifetime.count }
                    : {}),
                },
              }),
            );
            // The plan as the hot path sends it: one account operation, through the one adapter.
            const { controls_version, available_at_least, ...windows } = planned.plan;
            const written = await dynamo.doc
              .send(
                new UpdateCommand(
                  accountOperationUpdate(dynamo.tables.creditCache, 'demo', {
                    user_id,
                    requires: [
                      { kind: 'exists' },
                      { kind: 'controls-version', value: controls_version },
                      { kind: 'figure-at-least', figure: 'available', value: available_at_least },
                    ],
                    deltas: { available: -amount },
                    windows,
                    stamp: {
                      key: `t-${run}`,
                      attempt: 1,
                      kind: 'HOLD',
                      amount,
                      at: NOW.toISOString(),
                    },
                  }),
                ),
              )
              .then(
                () => true,
                (error: unknown) => {
                  if (error instanceof ConditionalCheckFailedException) return false;
                  throw error;
                },
              );
            expect(written).toBe(expected !== null);
            if (expected === null) return;
            const item = await dynamo.doc.send(
              new GetCommand({
                TableName: dynamo.tables.creditCache,
                Key: { pk: `demo#${user_id}` },
                ConsistentRead: true,
              }),
            );
            const read = readControlledItem(item.Item ?? {}, user_id);
            expect(read.available).toBe(expected.available);
            expect(read.usage.daily).toEqual(expected.usage.daily);
            expect(read.usage.rolling_24h).toEqual(expected.usage.rolling_24h);
            expect(read.usage.lifetime).toEqual(expected.usage.lifetime);
          },
        ),
        { numRuns: 80 },
      );
    });
  });
});
