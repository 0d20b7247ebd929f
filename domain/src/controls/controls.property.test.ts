import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySpendPlan, planSpend, type ControlledAccountState, type ControlsCommitPlan } from './commit-plan.js';
import { velocityIntervals, type AccountControls, type VelocityInterval, type VelocityLimit } from './controls.js';
import type { ControlRejectReason } from './evaluate.js';
import { noUsage } from './usage.js';
import { calendarIndex, HOUR_MS, hourIndex } from './windows.js';

/**
 * The reference model keeps every permitted spend with its time and judges a request by
 * summing them per window, as a ledger query would. The implementation keeps a few tallies on
 * the account item and judges through thresholds. They must agree on every decision.
 */
interface Spent {
  readonly at: number;
  readonly amount: number;
}

const START = Date.parse('2026-11-29T20:00:00.000Z'); // a Sunday evening: days, a week and a month roll soon

const inWindow = (interval: VelocityInterval, spentAt: number, now: number): boolean => {
  switch (interval) {
    case 'daily':
    case 'weekly':
    case 'monthly':
      return calendarIndex(interval, new Date(spentAt)) === calendarIndex(interval, new Date(now));
    case 'rolling_24h': {
      // the documented conservative window: the open hour and the 24 before it
      const hour = hourIndex(new Date(spentAt));
      const current = hourIndex(new Date(now));
      return hour >= current - 24 && hour <= current;
    }
    case 'lifetime':
      return true;
  }
};

const referenceDecide = (
  controls: AccountControls,
  available: number,
  ledger: readonly Spent[],
  request: { amount: number; currency: string },
  now: number,
): ControlRejectReason | 'PERMIT' => {
  if (controls.status === 'SUSPENDED') return 'ACCOUNT_SUSPENDED';
  if (controls.status === 'CLOSED') return 'ACCOUNT_CLOSED';
  if (request.currency !== controls.currency) return 'CURRENCY_MISMATCH';
  if (controls.max_per_transaction !== null && request.amount > controls.max_per_transaction) return 'LIMIT_EXCEEDED';
  for (const interval of velocityIntervals) {
    const limit = controls.velocity_limits.find((candidate) => candidate.interval === interval);
    if (limit === undefined) continue;
    const spends = ledger.filter((spent) => inWindow(interval, spent.at, now));
    const amount = spends.reduce((total, spent) => total + spent.amount, 0);
    if (limit.max_amount !== undefined && amount + request.amount > limit.max_amount) return 'VELOCITY_LIMIT_EXCEEDED';
    if (limit.max_count !== undefined && spends.length + 1 > limit.max_count) return 'VELOCITY_LIMIT_EXCEEDED';
  }
  return request.amount > available ? 'INSUFFICIENT_FUNDS' : 'PERMIT';
};

const limitArb: fc.Arbitrary<VelocityLimit> = fc
  .record({
    interval: fc.constantFrom(...velocityIntervals),
    max_amount: fc.option(fc.oneof(fc.integer({ min: 1, max: 6_000 }), fc.constantFrom(500, 1_000, 1_500)), { nil: undefined }),
    max_count: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  })
  .filter((limit) => limit.max_amount !== undefined || limit.max_count !== undefined)
  .map((limit) => ({
    interval: limit.interval,
    ...(limit.max_amount !== undefined ? { max_amount: limit.max_amount } : {}),
    ...(limit.max_count !== undefined ? { max_count: limit.max_count } : {}),
  }));

const controlsArb: fc.Arbitrary<AccountControls> = fc.record({
  status: fc.constantFrom('ACTIVE' as const, 'ACTIVE' as const, 'ACTIVE' as const, 'SUSPENDED' as const),
  currency: fc.constant('USD'),
  max_per_transaction: fc.option(fc.integer({ min: 1, max: 2_500 }), { nil: null }),
  velocity_limits: fc.uniqueArray(limitArb, { selector: (limit) => limit.interval, maxLength: 5 }),
  balance_monitors: fc.constant([]),
});

const requestArb = fc.record({
  gap_ms: fc.oneof(fc.integer({ min: 0, max: 10 * 60_000 }), fc.integer({ min: 0, max: 26 * HOUR_MS })),
  amount: fc.integer({ min: 1, max: 3_000 }),
  currency: fc.constantFrom('USD', 'USD', 'USD', 'USD', 'EUR'),
});

const fresh = (controls: AccountControls, available: number): ControlledAccountState => ({ controls, available, controls_version: 1, usage: noUsage });

describe('controls against a reference ledger (property)', () => {
  it('decides every request in a sequence exactly as the ledger model does', () => {
    fc.assert(
      fc.property(controlsArb, fc.integer({ min: 0, max: 40_000 }), fc.array(requestArb, { maxLength: 60 }), (controls, credit, requests) => {
        let state = fresh(controls, credit);
        const ledger: Spent[] = [];
        let now = START;
        for (const request of requests) {
          now += request.gap_ms;
          const expected = referenceDecide(controls, state.available, ledger, request, now);
          const planned = planSpend(state, { amount: request.amount, count: 1, currency: request.currency }, new Date(now));
          expect(planned.verdict === 'PERMIT' ? 'PERMIT' : planned.reason).toBe(expected);
          if (planned.verdict === 'REJECT') continue;
          const after = applySpendPlan(state, planned.plan);
          expect(after).not.toBeNull(); // planned from the current item: the write always holds
          if (after === null) return;
          state = after;
          ledger.push({ at: now, amount: request.amount });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never lets interleaved decisions planned from stale images pass a limit (amount, count, every window)', () => {
    // Bursts of round amounts against round limits: many decisions race for the last room.
    const burstArb = fc.record({
      gap_ms: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 * 60_000 }), fc.integer({ min: 0, max: 13 * HOUR_MS })),
      amount: fc.constantFrom(1, 100, 200, 250, 500),
      currency: fc.constant('USD'),
    });
    const roundLimitArb: fc.Arbitrary<VelocityLimit> = fc.record({
      interval: fc.constantFrom(...velocityIntervals),
      max_amount: fc.constantFrom(500, 1_000, 1_500),
      max_count: fc.integer({ min: 1, max: 12 }),
    }).map(({ interval, max_amount, max_count }, ) => (max_count > 8 ? { interval, max_amount } : { interval, max_amount, max_count }));
    const burstControlsArb: fc.Arbitrary<AccountControls> = fc.record({
      status: fc.constant('ACTIVE' as const),
      currency: fc.constant('USD'),
      max_per_transaction: fc.constant(null),
      velocity_limits: fc.uniqueArray(fc.oneof(roundLimitArb, limitArb), { selector: (limit) => limit.interval, minLength: 1, maxLength: 3 }),
      balance_monitors: fc.constant([]),
    });
    const decisionArb = fc.record({
      request: burstArb,
      /** How many commits behind the image this decision planned from is. */
      staleness: fc.integer({ min: 0, max: 6 }),
      /** Clock skew of the deciding instance. */
      skew_ms: fc.integer({ min: -2_000, max: 2_000 }),
    });
    fc.assert(
      fc.property(burstControlsArb, fc.integer({ min: 0, max: 40_000 }), fc.array(decisionArb, { maxLength: 80 }), (controls, credit, decisions) => {
        const history: ControlledAccountState[] = [fresh(controls, credit)];
        const attributed: { plan: ControlsCommitPlan; amount: number }[] = [];
        let state = history[0] as ControlledAccountState;
        let now = START;
        for (const { request, staleness, skew_ms } of decisions) {
          now += request.gap_ms;
          const decidedAt = new Date(now + skew_ms);
          let image = history[Math.max(history.length - 1 - staleness, 0)] as ControlledAccountState;
          for (let attempt = 0; attempt < 10; attempt += 1) {
            const planned = planSpend(image, { amount: request.amount, count: 1, currency: 'USD' }, decidedAt);
            if (planned.verdict === 'REJECT') break;
            const after = applySpendPlan(state, planned.plan);
            if (after !== null) {
              state = after;
              history.push(state);
              attributed.push({ plan: planned.plan, amount: request.amount });
              break;
            }
            image = state; // the failed write's ALL_OLD image
            expect(attempt).toBeLessThan(9); // re-planning from the true image always settles
          }
        }
        expect(state.available).toBeGreaterThanOrEqual(0);
        expect(credit - state.available).toBe(attributed.reduce((total, spent) => total + spent.amount, 0));
        // Each committed spend counted in the window its own plan named; no window ever over its limit.
        const windowOf = (plan: ControlsCommitPlan, interval: 'daily' | 'weekly' | 'monthly'): number => {
          const step = plan[interval];
          if (step === undefined) throw new Error(`a limited ${interval} window without a step`);
          return step.kind === 'open' ? step.set.start : step.start;
        };
        const hourOf = (plan: ControlsCommitPlan): number => {
          const step = plan.rolling_24h;
          if (step === undefined) throw new Error('a limited rolling window without a step');
          return step.kind === 'open' ? step.set.hour : step.hour;
        };
        for (const limit of controls.velocity_limits) {
          const groups: { amount: number; count: number }[] = [];
          if (limit.interval === 'lifetime') {
            groups.push({ amount: attributed.reduce((total, spent) => total + spent.amount, 0), count: attributed.length });
          } else if (limit.interval === 'rolling_24h') {
            for (const { plan } of attributed) {
              const last = hourOf(plan);
              const inside = attributed.filter((spent) => hourOf(spent.plan) >= last - 24 && hourOf(spent.plan) <= last);
              groups.push({ amount: inside.reduce((total, spent) => total + spent.amount, 0), count: inside.length });
            }
          } else {
            const interval = limit.interval;
            const byWindow = new Map<number, { amount: number; count: number }>();
            for (const spent of attributed) {
              const key = windowOf(spent.plan, interval);
              const group = byWindow.get(key) ?? { amount: 0, count: 0 };
              byWindow.set(key, { amount: group.amount + spent.amount, count: group.count + 1 });
            }
            groups.push(...byWindow.values());
          }
          for (const group of groups) {
            if (limit.max_amount !== undefined) expect(group.amount).toBeLessThanOrEqual(limit.max_amount);
            if (limit.max_count !== undefined) expect(group.count).toBeLessThanOrEqual(limit.max_count);
          }
        }
        // And the true rolling window (t − 24 h, t] is within the limit too: the buckets are conservative.
        const rolling = controls.velocity_limits.find((limit) => limit.interval === 'rolling_24h');
        if (rolling?.max_amount !== undefined) {
          const hours = attributed.map((spent) => hourOf(spent.plan));
          for (const hour of hours) {
            const inside = attributed.filter((spent) => hourOf(spent.plan) > hour - 24 && hourOf(spent.plan) <= hour);
            expect(inside.reduce((total, spent) => total + spent.amount, 0)).toBeLessThanOrEqual(rolling.max_amount);
          }
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
