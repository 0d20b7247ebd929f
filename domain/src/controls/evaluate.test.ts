import { describe, expect, it } from 'vitest';
import type { DeclineDetail } from './decline-detail.js';
import { declineDetailSchema } from './decline-detail.js';
import { evaluateSpend, type ControlRejectReason, type Spend } from './evaluate.js';
import { account, controls, limits } from './test-support.js';
import { dayIndex, hourIndex, monthIndex, weekIndex } from './windows.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const TODAY = dayIndex(NOW);
const HOUR = hourIndex(NOW);
const spend = (overrides: Partial<Spend> = {}): Spend => ({ amount: 1_000, count: 1, ...overrides });
const zeros = () => Array.from({ length: 24 }, () => 0);

describe('evaluateSpend', () => {
  it.each<[string, Parameters<typeof evaluateSpend>[0], Spend, ControlRejectReason | null, Partial<DeclineDetail>?]>([
    ['an active account with no limits', account(), spend(), null],
    ['a suspended account', account({ controls: controls({ status: 'SUSPENDED' }) }), spend(), 'ACCOUNT_SUSPENDED', { control: 'status', status: 'SUSPENDED' }],
    ['a closed account', account({ controls: controls({ status: 'CLOSED' }) }), spend(), 'ACCOUNT_CLOSED', { control: 'status', status: 'CLOSED' }],
    ['another currency', account(), spend({ currency: 'EUR' }), 'CURRENCY_MISMATCH', { control: 'currency', currency: 'USD', requested: 'EUR' }],
    ['the account currency', account(), spend({ currency: 'USD' }), null],
    ['a deadline in the past', account(), spend({ deadline: new Date(NOW.getTime() - 1) }), 'EXPIRED', { control: 'deadline', deadline: '2026-12-01T11:59:59.999Z', decided_at: '2026-12-01T12:00:00.000Z' }],
    ['a deadline of exactly now', account(), spend({ deadline: NOW }), null],
    ['no deadline', account(), spend({ deadline: null }), null],
    ['exactly the per-transaction maximum', account({ controls: controls({ max_per_transaction: 1_000 }) }), spend(), null],
    ['a cent over the per-transaction maximum', account({ controls: controls({ max_per_transaction: 999 }) }), spend(), 'LIMIT_EXCEEDED', { control: 'max_per_transaction', limit: 999, requested: 1_000 }],
    ['exactly the available credit', account({ available: 1_000 }), spend(), null],
    ['a cent over the available credit', account({ available: 999 }), spend(), 'INSUFFICIENT_FUNDS', { control: 'available', requested: 1_000, remaining: 999 }],
    // velocity, amount: a limit of exactly what is left permits, a cent more refuses
    ['daily: spend reaching the limit exactly', account({ controls: controls(limits({ interval: 'daily', max_amount: 5_000 })), usage: { daily: { start: TODAY, amount: 4_000, count: 3 } } }), spend(), null],
    [
      'daily: a cent past the limit',
      account({ controls: controls(limits({ interval: 'daily', max_amount: 4_999 })), usage: { daily: { start: TODAY, amount: 4_000, count: 3 } } }),
      spend(),
      'VELOCITY_LIMIT_EXCEEDED',
      { control: 'velocity', interval: 'daily', measure: 'amount', limit: 4_999, used: 4_000, remaining: 999, requested: 1_000, resets_at: '2026-12-02T00:00:00.000Z' },
    ],
    ['daily: yesterday’s spend does not count today', account({ controls: controls(limits({ interval: 'daily', max_amount: 1_000 })), usage: { daily: { start: TODAY - 1, amount: 1_000, count: 1 } } }), spend(), null],
    ['a limit above the amount with nothing spent', account({ controls: controls(limits({ interval: 'daily', max_amount: 1_000 })) }), spend(), null],
    ['a first spend larger than the limit', account({ controls: controls(limits({ interval: 'daily', max_amount: 999 })) }), spend(), 'VELOCITY_LIMIT_EXCEEDED', { interval: 'daily', used: 0, remaining: 999 }],
    // count
    ['daily count: the last allowed one', account({ controls: controls(limits({ interval: 'daily', max_count: 3 })), usage: { daily: { start: TODAY, amount: 10, count: 2 } } }), spend(), null],
    ['daily count: one too many', account({ controls: controls(limits({ interval: 'daily', max_count: 3 })), usage: { daily: { start: TODAY, amount: 10, count: 3 } } }), spend(), 'VELOCITY_LIMIT_EXCEEDED', { measure: 'count', limit: 3, used: 3, remaining: 0, requested: 1 }],
    ['daily count: an increment (count 0) adds no authorization', account({ controls: controls(limits({ interval: 'daily', max_count: 3 })), usage: { daily: { start: TODAY, amount: 10, count: 3 } } }), spend({ count: 0 }), null],
    // amount and count together: whichever is reached first refuses; amount is reported first
    ['amount and count: both room', account({ controls: controls(limits({ interval: 'daily', max_amount: 5_000, max_count: 5 })), usage: { daily: { start: TODAY, amount: 4_000, count: 4 } } }), spend(), null],
    ['amount and count: count reached', account({ controls: controls(limits({ interval: 'daily', max_amount: 50_000, max_count: 4 })), usage: { daily: { start: TODAY, amount: 4_000, count: 4 } } }), spend(), 'VELOCITY_LIMIT_EXCEEDED', { measure: 'count' }],
    ['amount and count: both reached, amount named', account({ controls: controls(limits({ interval: 'daily', max_amount: 4_500, max_count: 4 })), usage: { daily: { start: TODAY, amount: 4_000, count: 4 } } }), spend(), 'VELOCITY_LIMIT_EXCEEDED', { measure: 'amount' }],
    // the other intervals
    ['weekly', account({ controls: controls(limits({ interval: 'weekly', max_amount: 1_500 })), usage: { weekly: { start: weekIndex(NOW), amount: 600, count: 1 } } }), spend(), 'VELOCITY_LIMIT_EXCEEDED', { interval: 'weekly', resets_at: '2026-12-07T00:00:00.000Z' }],
    ['monthly', account({ controls: controls(limits({ interval: 'monthly', max_amount: 1_500 })), usage: { monthly: { start: monthIndex(NOW), amount: 600, count: 1 } } }), spend(), 'VELOCITY_LIMIT_EXCEEDED', { interval: 'monthly', resets_at: '2027-01-01T00:00:00.000Z' }],
    ['lifetime', account({ controls: controls(limits({ interval: 'lifetime', max_amount: 1_500 })), usage: { lifetime: { amount: 600, count: 1 } } }), spend(), 'VELOCITY_LIMIT_EXCEEDED', { interval: 'lifetime', used: 600 }],
    [
      'rolling 24 h counts the closed hours and the open one',
      account({
        controls: controls(limits({ interval: 'rolling_24h', max_amount: 1_500 })),
        usage: { rolling_24h: { hour: HOUR, amount: 100, count: 1, past_amounts: zeros().map((_, i) => (i === 0 ? 500 : 0)), past_counts: zeros() } },
      }),
      spend(),
      'VELOCITY_LIMIT_EXCEEDED',
      { interval: 'rolling_24h', used: 600, remaining: 900 },
    ],
    [
      'rolling 24 h forgets an hour once it is 25 hours old',
      account({
        controls: controls(limits({ interval: 'rolling_24h', max_amount: 1_050 })),
        usage: { rolling_24h: { hour: HOUR - 1, amount: 100, count: 1, past_amounts: zeros().map((_, i) => (i === 0 ? 500 : 0)), past_counts: zeros() } },
      }),
      spend(),
      'VELOCITY_LIMIT_EXCEEDED',
      { interval: 'rolling_24h', used: 100 },
    ],
    // precedence
    ['suspended before currency, limits and funds', account({ available: 0, controls: controls({ status: 'SUSPENDED', max_per_transaction: 1 }) }), spend({ currency: 'EUR' }), 'ACCOUNT_SUSPENDED'],
    ['currency before deadline', account(), spend({ currency: 'EUR', deadline: new Date(0) }), 'CURRENCY_MISMATCH'],
    ['deadline before the per-transaction maximum', account({ controls: controls({ max_per_transaction: 1 }) }), spend({ deadline: new Date(0) }), 'EXPIRED'],
    ['per-transaction before velocity', account({ controls: controls({ max_per_transaction: 1, ...limits({ interval: 'daily', max_amount: 1 }) }) }), spend(), 'LIMIT_EXCEEDED'],
    ['velocity before funds', account({ available: 0, controls: controls(limits({ interval: 'daily', max_amount: 1 })) }), spend(), 'VELOCITY_LIMIT_EXCEEDED'],
    ['daily named before lifetime', account({ controls: controls(limits({ interval: 'lifetime', max_amount: 1 }, { interval: 'daily', max_amount: 1 })) }), spend(), 'VELOCITY_LIMIT_EXCEEDED', { interval: 'daily' }],
  ])('%s', (_name, state, request, reason, detail) => {
    const verdict = evaluateSpend(state, request, NOW);
    if (reason === null) {
      expect(verdict).toEqual({ verdict: 'PERMIT' });
      return;
    }
    expect(verdict).toMatchObject({ verdict: 'REJECT', reason, ...(detail ? { detail } : {}) });
    if (verdict.verdict === 'REJECT') expect(declineDetailSchema.parse(verdict.detail)).toEqual(verdict.detail);
  });
});
