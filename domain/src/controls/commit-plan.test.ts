import { describe, expect, it } from 'vitest';
import { applySpendPlan, planSpend, type ControlledAccountState, type ControlsCommitPlan } from './commit-plan.js';
import type { Spend } from './evaluate.js';
import { account, controls, limits } from './test-support.js';
import { dayIndex, hourIndex, monthIndex, weekIndex } from './windows.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const TODAY = dayIndex(NOW);
const HOUR = hourIndex(NOW);
const spend = (amount: number, overrides: Partial<Spend> = {}): Spend => ({ amount, count: 1, ...overrides });
const zeros = () => Array.from({ length: 24 }, () => 0);

const permitPlan = (state: ControlledAccountState, request: Spend, now = NOW): ControlsCommitPlan => {
  const planned = planSpend(state, request, now);
  if (planned.verdict !== 'PERMIT') throw new Error(`expected a permit, got ${planned.reason}`);
  return planned.plan;
};

/** Decide and commit like the hot path: plan from what was seen, write, re-plan from the old image on failure. */
const commit = (state: ControlledAccountState, seen: ControlledAccountState, request: Spend, now = NOW) => {
  let image = seen;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const planned = planSpend(image, request, now);
    if (planned.verdict === 'REJECT') return { state, outcome: planned.reason, attempts: attempt + 1 };
    const after = applySpendPlan(state, planned.plan);
    if (after !== null) return { state: after, outcome: 'PERMIT' as const, attempts: attempt + 1 };
    image = state; // ReturnValuesOnConditionCheckFailure: ALL_OLD
  }
  throw new Error('no progress');
};

describe('planSpend', () => {
  it('states a daily limit as a threshold on the stored tally of today’s window', () => {
    const state = account({ controls: controls(limits({ interval: 'daily', max_amount: 5_000, max_count: 10 })), usage: { daily: { start: TODAY, amount: 1_200, count: 2 } } });
    expect(permitPlan(state, spend(1_000)).daily).toEqual({ kind: 'accumulate', start: TODAY, amount_at_most: 4_000, count_at_most: 9, add: { amount: 1_000, count: 1 } });
  });

  it('opens a new window, guarded by the stale one it replaces, when the day rolled', () => {
    const daily = controls(limits({ interval: 'daily', max_amount: 20_000 }));
    const state = account({ controls: daily, usage: { daily: { start: TODAY - 1, amount: 9_999, count: 9 } } });
    expect(permitPlan(state, spend(1_000)).daily).toEqual({ kind: 'open', expected_start: TODAY - 1, set: { start: TODAY, amount: 1_000, count: 1 } });
    expect(permitPlan(account({ controls: daily }), spend(1_000)).daily).toEqual({ kind: 'open', expected_start: null, set: { start: TODAY, amount: 1_000, count: 1 } });
  });

  it('keeps a newer stored window rather than going back to an older one (clock skew at midnight)', () => {
    const state = account({ controls: controls(limits({ interval: 'daily', max_amount: 5_000 })), usage: { daily: { start: TODAY + 1, amount: 4_500, count: 1 } } });
    expect(permitPlan(state, spend(500)).daily).toMatchObject({ kind: 'accumulate', start: TODAY + 1, amount_at_most: 4_500 });
    expect(planSpend(state, spend(501), NOW)).toMatchObject({ verdict: 'REJECT', reason: 'VELOCITY_LIMIT_EXCEEDED' });
  });

  it('tracks only the windows a limit uses: an account without limits commits on credit and controls version alone', () => {
    const plan = permitPlan(account({ controls: controls(limits({ interval: 'weekly', max_count: 2 }, { interval: 'monthly', max_amount: 9_000 })), usage: { weekly: { start: weekIndex(NOW), amount: 5, count: 1 }, monthly: { start: monthIndex(NOW), amount: 5, count: 1 } } }), spend(100));
    expect(plan.weekly).toEqual({ kind: 'accumulate', start: weekIndex(NOW), count_at_most: 1, add: { amount: 100, count: 1 } });
    expect(plan.monthly).toEqual({ kind: 'accumulate', start: monthIndex(NOW), amount_at_most: 8_900, add: { amount: 100, count: 1 } });
    expect(plan).not.toHaveProperty('daily');
    expect(plan).not.toHaveProperty('lifetime');
    expect(permitPlan(account({ controls_version: 0 }), spend(100))).toEqual({ controls_version: 0, available_at_least: 100 });
  });

  it('puts the closed hours of rolling 24 h into the threshold, pinned by the open hour', () => {
    const past = zeros().map((_, index) => (index % 6 === 0 ? 100 : 0)); // 400 in closed hours
    const state = account({ controls: controls(limits({ interval: 'rolling_24h', max_amount: 2_000 })), usage: { rolling_24h: { hour: HOUR, amount: 300, count: 2, past_amounts: past, past_counts: zeros() } } });
    expect(permitPlan(state, spend(1_000)).rolling_24h).toEqual({ kind: 'accumulate', hour: HOUR, amount_at_most: 600, add: { amount: 1_000, count: 1 } });
  });

  it('shifts the rolling buckets when the hour moves, pinning the open bucket it closes', () => {
    const past = zeros().map((_, index) => index + 1); // hour H-25+i holds i+1
    const state = account({ controls: controls(limits({ interval: 'rolling_24h', max_count: 1_000 })), usage: { rolling_24h: { hour: HOUR - 2, amount: 77, count: 3, past_amounts: past, past_counts: past } } });
    const step = permitPlan(state, spend(10)).rolling_24h;
    expect(step?.kind).toBe('open');
    if (step?.kind !== 'open') return;
    expect(step.expected).toEqual({ hour: HOUR - 2, amount: 77, count: 3 });
    // closed hours now H-24..H-1: the old H-26+2.. shift by two, the old open bucket lands at H-2, H-1 is empty
    expect(step.set.past_amounts).toEqual([...past.slice(2), 77, 0]);
    expect(step.set).toMatchObject({ hour: HOUR, amount: 10, count: 1 });
  });

  it('refuses without a write plan whenever the rules refuse', () => {
    expect(planSpend(account({ controls: controls({ status: 'SUSPENDED' }) }), spend(1), NOW)).toMatchObject({ verdict: 'REJECT', reason: 'ACCOUNT_SUSPENDED' });
  });
});

describe('applySpendPlan (what the conditional write does)', () => {
  it('commits a spend that still fits, whatever concurrent spends added meanwhile', () => {
    const limited = controls(limits({ interval: 'daily', max_amount: 5_000 }));
    const seen = account({ controls: limited, usage: { daily: { start: TODAY, amount: 1_000, count: 1 } } });
    const plan = permitPlan(seen, spend(2_000));
    const now = account({ controls: limited, usage: { daily: { start: TODAY, amount: 3_000, count: 2 } } }); // another spend landed
    expect(applySpendPlan(now, plan)?.usage.daily).toEqual({ start: TODAY, amount: 5_000, count: 3 });
    const full = account({ controls: limited, usage: { daily: { start: TODAY, amount: 3_001, count: 2 } } });
    expect(applySpendPlan(full, plan)).toBeNull();
  });

  it('fails when the controls version moved, when credit is short, or when the window was opened by another', () => {
    const daily = controls(limits({ interval: 'daily', max_count: 10 }));
    const seen = account({ controls: daily, usage: { daily: { start: TODAY - 1, amount: 10, count: 1 } } });
    const plan = permitPlan(seen, spend(100));
    expect(applySpendPlan({ ...seen, controls_version: 2 }, plan)).toBeNull();
    expect(applySpendPlan({ ...seen, available: 99 }, plan)).toBeNull();
    expect(applySpendPlan(account({ controls: daily, usage: { daily: { start: TODAY, amount: 10, count: 1 } } }), plan)).toBeNull();
    expect(applySpendPlan(seen, plan)?.available).toBe(1_000_000 - 100);
  });

  it('a limit of exactly the amount: the first spend takes it all, the next is refused from the failed write’s image', () => {
    const limited = account({ controls: controls(limits({ interval: 'daily', max_amount: 5_000 })) });
    const first = commit(limited, limited, spend(5_000));
    expect(first.outcome).toBe('PERMIT');
    // the second planned from the same stale image: its write fails, the image names the refusal
    const second = commit(first.state, limited, spend(1));
    expect(second).toMatchObject({ outcome: 'VELOCITY_LIMIT_EXCEEDED', attempts: 2 });
  });

  it('suspended then reactivated: the very next decision after each change follows it', () => {
    let state = account({ controls_version: 1 });
    const seenBeforeSuspension = state;
    state = { ...state, controls: controls({ status: 'SUSPENDED' }), controls_version: 2 }; // write-through of the suspension
    expect(commit(state, seenBeforeSuspension, spend(100))).toMatchObject({ outcome: 'ACCOUNT_SUSPENDED', attempts: 2 });
    state = { ...state, controls: controls({ status: 'ACTIVE' }), controls_version: 3 };
    // A refusal is judged from an image, so a decision that read the suspended item may still be
    // refused; the next one reads the reactivated item and commits.
    const reactivated = commit(state, state, spend(100));
    expect(reactivated).toMatchObject({ outcome: 'PERMIT' });
    expect(reactivated.state.available).toBe(1_000_000 - 100);
  });

  it('two decisions that both see yesterday’s window: one opens today, the other accumulates after re-planning', () => {
    const limited = controls(limits({ interval: 'daily', max_amount: 1_500, max_count: 2 }));
    const stale = account({ controls: limited, usage: { daily: { start: TODAY - 1, amount: 1_500, count: 2 } } });
    const a = commit(stale, stale, spend(1_000));
    const b = commit(a.state, stale, spend(500));
    const c = commit(b.state, stale, spend(1));
    expect([a.outcome, b.outcome, c.outcome]).toEqual(['PERMIT', 'PERMIT', 'VELOCITY_LIMIT_EXCEEDED']);
    expect(b.attempts).toBe(2);
    expect(b.state.usage.daily).toEqual({ start: TODAY, amount: 1_500, count: 2 });
  });

  it('a spend at the last millisecond of the day and one at midnight land in different windows', () => {
    const limited = account({ controls: controls(limits({ interval: 'daily', max_amount: 1_000 }, { interval: 'lifetime', max_count: 100 })) });
    const lastMs = new Date('2026-12-01T23:59:59.999Z');
    const midnight = new Date('2026-12-02T00:00:00.000Z');
    const a = commit(limited, limited, spend(1_000), lastMs);
    const b = commit(a.state, a.state, spend(1), lastMs);
    const c = commit(b.state, b.state, spend(1_000), midnight);
    expect([a.outcome, b.outcome, c.outcome]).toEqual(['PERMIT', 'VELOCITY_LIMIT_EXCEEDED', 'PERMIT']);
    expect(c.state.usage.daily).toEqual({ start: dayIndex(midnight), amount: 1_000, count: 1 });
    expect(c.state.usage.lifetime).toEqual({ amount: 2_000, count: 2 });
  });
});
