import { describe, expect, it } from 'vitest';
import { applyPlan, satisfies, type AccountOperationPlan } from '../account-operation.js';
import type { CreditAccount } from '../contracts/account.js';
import { applyWindowSteps } from './commit-plan.js';
import type { VelocityLimit } from './controls.js';
import { controlledRejection, planControlledHold, planControlledRelease, type ControlledHold } from './controlled-hold.js';
import { noProgramControls, type ProgramControls, type StoredControls } from './effective.js';
import { noUsage, type VelocityUsage } from './usage.js';
import { dayIndex, hourIndex, monthIndex, weekIndex } from './windows.js';

const NOW = new Date('2026-12-01T12:30:00.000Z');
const TODAY = dayIndex(NOW);
const HOUR = hourIndex(NOW);
const zeros = (): number[] => Array.from({ length: 24 }, () => 0);

const stored = (overrides: Partial<StoredControls> = {}): StoredControls => ({
  status: 'ACTIVE',
  currency: 'USD',
  max_per_transaction: null,
  velocity_limits: [],
  balance_monitors: [],
  version: 1,
  ...overrides,
});

/** An account item as the store returns it: credit, controls copy and tallies. */
const item = (
  overrides: { available?: number; controls?: Partial<StoredControls>; usage?: Partial<VelocityUsage> } = {},
): CreditAccount => {
  const controls = stored(overrides.controls);
  return {
    user_id: 'u-1',
    available: overrides.available ?? 100_000,
    pending: 0,
    version: 7,
    status: controls.status,
    currency: controls.currency,
    per_transaction_limit: controls.max_per_transaction,
    controlled: { stored: controls, usage: { ...noUsage, ...overrides.usage } },
  };
};

const daily = (max_amount?: number, max_count?: number): VelocityLimit => ({
  interval: 'daily',
  ...(max_amount !== undefined ? { max_amount } : {}),
  ...(max_count !== undefined ? { max_count } : {}),
});

const hold = (
  amount: number,
  account: CreditAccount | null,
  options: { currency?: string; deadline?: Date; program?: ProgramControls; now?: Date } = {},
): ControlledHold =>
  planControlledHold({
    request: { transaction_id: 't-1', user_id: 'u-1', amount, currency: options.currency },
    account,
    program: options.program ?? noProgramControls,
    deadline: options.deadline ?? null,
    now: options.now ?? NOW,
    stamp: { key: 't-1', attempt: 1, at: (options.now ?? NOW).toISOString() },
  });

const planOf = (planned: ControlledHold): AccountOperationPlan => {
  if (planned.kind !== 'hold') throw new Error(`expected a hold, got ${JSON.stringify(planned)}`);
  return planned.plan;
};

/** The conditional write's meaning: every requirement and window pin holds, or nothing changes. */
const write = (account: CreditAccount, plan: AccountOperationPlan): CreditAccount | null => {
  if (!plan.requires.every((requirement) => satisfies(account, requirement))) return null;
  if (plan.windows !== undefined && account.controlled !== undefined) {
    if (applyWindowSteps(account.controlled.usage, plan.windows) === null) return null;
  }
  return applyPlan(account, plan);
};

/** Plan, write, re-plan from the old image on failure: the hot path's loop over a pure store. */
const decide = (account: CreditAccount, seen: CreditAccount | null, amount: number, program = noProgramControls) => {
  let image = seen;
  for (let round = 0; round < 6; round += 1) {
    const planned = hold(amount, image, { program });
    if (planned.kind === 'reject') {
      const rejection = controlledRejection({ transaction_id: 't', user_id: 'u-1', amount }, account, program, null, NOW);
      if (rejection !== null) return { account, outcome: rejection.reason, detail: rejection.detail };
      image = account;
      continue;
    }
    const after = write(account, planOf(planned));
    if (after !== null) return { account: after, outcome: 'PERMIT' as const };
    image = account;
  }
  throw new Error('no progress');
};

describe('planControlledHold: the controls as the hold’s own condition', () => {
  it('an account never seen: the credit rules, controls never set, no window tracked', () => {
    const plan = planOf(hold(500, null));
    expect(plan.requires).toEqual([
      { kind: 'exists' },
      { kind: 'setting-equals', setting: 'status', value: 'ACTIVE' },
      { kind: 'limit-at-least', limit: 'per_transaction_limit', value: 500 },
      { kind: 'controls-version', value: 0 },
      { kind: 'figure-at-least', figure: 'available', value: 500 },
    ]);
    expect(plan.deltas).toEqual({ available: -500, pending: 500 });
    expect(plan.windows).toBeUndefined();
    expect(plan.stamp).toEqual({ key: 't-1', attempt: 1, at: NOW.toISOString(), kind: 'HOLD', amount: 500 });
  });

  it('pins the controls version it was planned from, so a change of controls fails the write', () => {
    const seen = item({ controls: { version: 3, velocity_limits: [daily(5_000)] } });
    const plan = planOf(hold(100, seen));
    expect(plan.requires).toContainEqual({ kind: 'controls-version', value: 3 });
    expect(write(item({ controls: { version: 4, velocity_limits: [daily(5_000)] } }), plan)).toBeNull();
  });

  it('stamps the windows the hold counts in (what a release gives back)', () => {
    const seen = item({
      controls: {
        velocity_limits: [
          daily(1_000),
          { interval: 'weekly', max_amount: 1_000 },
          { interval: 'monthly', max_count: 9 },
          { interval: 'rolling_24h', max_amount: 1_000 },
          { interval: 'lifetime', max_count: 90 },
        ],
      },
    });
    const plan = planOf(hold(100, seen));
    expect(plan.stamp.w).toEqual({ d: TODAY, w: weekIndex(NOW), m: monthIndex(NOW), h: HOUR, l: 0 });
  });

  it.each([
    // name, account, amount, currency, reason, detail
    ['suspended', item({ controls: { status: 'SUSPENDED' } }), 100, undefined, 'ACCOUNT_SUSPENDED', { control: 'status', status: 'SUSPENDED' }],
    ['closed', item({ controls: { status: 'CLOSED' } }), 100, undefined, 'ACCOUNT_CLOSED', { control: 'status', status: 'CLOSED' }],
    [
      'currency before any limit',
      item({ controls: { max_per_transaction: 50 } }),
      100,
      'EUR',
      'CURRENCY_MISMATCH',
      { control: 'currency', currency: 'USD', requested: 'EUR' },
    ],
    ['per transaction', item({ controls: { max_per_transaction: 99 } }), 100, undefined, 'LIMIT_EXCEEDED', { control: 'max_per_transaction', limit: 99, requested: 100 }],
    [
      'velocity before funds',
      item({ available: 10, controls: { velocity_limits: [daily(5_000)] }, usage: { daily: { start: TODAY, amount: 4_950, count: 3 } } }),
      100,
      undefined,
      'VELOCITY_LIMIT_EXCEEDED',
      { control: 'velocity', interval: 'daily', measure: 'amount', limit: 5_000, used: 4_950, remaining: 50, requested: 100, resets_at: '2026-12-02T00:00:00.000Z' },
    ],
    [
      'a count limit',
      item({ controls: { velocity_limits: [daily(undefined, 3)] }, usage: { daily: { start: TODAY, amount: 30, count: 3 } } }),
      1,
      undefined,
      'VELOCITY_LIMIT_EXCEEDED',
      { control: 'velocity', interval: 'daily', measure: 'count', limit: 3, used: 3, remaining: 0, requested: 1, resets_at: '2026-12-02T00:00:00.000Z' },
    ],
    ['funds', item({ available: 99 }), 100, undefined, 'INSUFFICIENT_FUNDS', { control: 'available', requested: 100, remaining: 99 }],
  ] as const)('refuses %s with its machine-readable detail', (_name, account, amount, currency, reason, detail) => {
    const planned = hold(amount, account, currency !== undefined ? { currency } : {});
    expect(planned).toEqual({ kind: 'reject', reason, detail });
    const rejection = controlledRejection({ transaction_id: 't', user_id: 'u-1', amount, currency }, account, noProgramControls, null, NOW);
    expect(rejection).toMatchObject({ status: 'REJECTED', reason, detail });
  });

  it('a request decided after its deadline is EXPIRED and plans no hold', () => {
    const planned = hold(100, item(), { deadline: new Date(NOW.getTime() - 1) });
    expect(planned).toMatchObject({ kind: 'reject', reason: 'EXPIRED', detail: { control: 'deadline' } });
    expect(hold(100, item(), { deadline: NOW }).kind).toBe('hold');
  });

  it('a limit of exactly the amount permits it, one cent more is refused (amount and count)', () => {
    const account = item({ controls: { velocity_limits: [daily(1_000, 2)] }, usage: { daily: { start: TODAY, amount: 400, count: 1 } } });
    const first = decide(account, account, 600);
    expect(first.outcome).toBe('PERMIT');
    expect(first.account.controlled?.usage.daily).toEqual({ start: TODAY, amount: 1_000, count: 2 });
    expect(decide(account, account, 601).outcome).toBe('VELOCITY_LIMIT_EXCEEDED');
    const byCount = decide(first.account, first.account, 1);
    expect(byCount).toMatchObject({ outcome: 'VELOCITY_LIMIT_EXCEEDED', detail: { measure: 'amount' } });
  });

  it('a new day opens a new window without a scan; the old tally no longer counts', () => {
    const yesterday = item({ controls: { velocity_limits: [daily(1_000)] }, usage: { daily: { start: TODAY - 1, amount: 1_000, count: 4 } } });
    const plan = planOf(hold(1_000, yesterday));
    expect(plan.windows?.daily).toEqual({ kind: 'open', expected_start: TODAY - 1, set: { start: TODAY, amount: 1_000, count: 1 } });
    expect(write(yesterday, plan)?.controlled?.usage.daily).toEqual({ start: TODAY, amount: 1_000, count: 1 });
  });

  it('planned from a stale or missing image, the write fails and the old image decides', () => {
    const limited = item({ controls: { version: 2, velocity_limits: [daily(1_000)] }, usage: { daily: { start: TODAY, amount: 900, count: 1 } } });
    // never seen: assumes no controls; the pin (version 0) fails, the image names the refusal
    expect(decide(limited, null, 200)).toMatchObject({ outcome: 'VELOCITY_LIMIT_EXCEEDED', detail: { used: 900, remaining: 100 } });
    // seen before a suspension: the version pin fails, then SUSPENDED
    const suspended = item({ controls: { version: 3, status: 'SUSPENDED' } });
    expect(decide(suspended, item({ controls: { version: 2 } }), 1).outcome).toBe('ACCOUNT_SUSPENDED');
    // seen as suspended, reactivated since: the hint is confirmed against the item and the hold goes
    expect(decide(item({ controls: { version: 4 } }), suspended, 1).outcome).toBe('PERMIT');
  });

  it('program defaults apply to controls never set (version 0), and are pinned by it', () => {
    const program: ProgramControls = { max_per_transaction: null, velocity_limits: [daily(500)], balance_monitors: [] };
    const fresh = item({ controls: { version: 0 } });
    const first = decide(fresh, null, 500, program);
    expect(first.outcome).toBe('PERMIT');
    expect(decide(first.account, first.account, 1, program).outcome).toBe('VELOCITY_LIMIT_EXCEEDED');
  });
});

describe('planControlledRelease: a release gives the usage back', () => {
  const limited = {
    velocity_limits: [daily(5_000, 5), { interval: 'rolling_24h', max_amount: 5_000 } as const, { interval: 'lifetime', max_amount: 50_000 } as const],
  };

  it('to the windows the hold counted in that are still open', () => {
    const before = item({ controls: limited });
    const placed = write(before, planOf(hold(700, before)));
    if (placed === null) throw new Error('hold refused');
    const stamp = planOf(hold(700, before)).stamp;
    const released = write(placed, planControlledRelease('u-1', stamp, NOW.toISOString(), placed));
    expect(released?.available).toBe(before.available);
    expect(released?.pending).toBe(0);
    expect(released?.controlled?.usage.daily).toEqual({ start: TODAY, amount: 0, count: 0 });
    expect(released?.controlled?.usage.rolling_24h).toMatchObject({ hour: HOUR, amount: 0, count: 0 });
    expect(released?.controlled?.usage.lifetime).toEqual({ amount: 0, count: 0 });
  });

  it('not to a calendar window that has rolled; to the closed rolling hour that holds it', () => {
    const stamp = { key: 't-1', attempt: 1, amount: 700, w: { d: TODAY - 1, h: HOUR - 2 } };
    const past = zeros();
    past[22] = 900;
    const counts = zeros();
    counts[22] = 2;
    const now = item({
      controls: limited,
      usage: {
        daily: { start: TODAY, amount: 50, count: 1 },
        rolling_24h: { hour: HOUR, amount: 50, count: 1, past_amounts: past, past_counts: counts },
      },
    });
    const plan = planControlledRelease('u-1', stamp, NOW.toISOString(), now);
    expect(plan.windows?.daily).toBeUndefined();
    const after = write(now, plan);
    expect(after?.controlled?.usage.daily).toEqual({ start: TODAY, amount: 50, count: 1 });
    expect(after?.controlled?.usage.rolling_24h?.past_amounts[22]).toBe(200);
    expect(after?.controlled?.usage.rolling_24h?.past_counts[22]).toBe(1);
    // the plan pins the open hour it amended: if the hour moves first, it is planned again
    const moved = item({ controls: limited, usage: { rolling_24h: { hour: HOUR + 1, amount: 0, count: 0, past_amounts: zeros(), past_counts: zeros() } } });
    expect(write(moved, plan)).toBeNull();
  });

  it('a hold that counted in no window gives back its credit only', () => {
    const plan = planControlledRelease('u-1', { key: 't', attempt: 1, amount: 10 }, NOW.toISOString(), item());
    expect(plan.windows).toBeUndefined();
    expect(plan.deltas).toEqual({ available: 10, pending: -10 });
  });
});
