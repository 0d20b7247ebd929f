import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceCrossings, crossingDetails, type BalanceChange, type BalanceMonitor } from './balance-monitors.js';

const user = (threshold: number): BalanceMonitor => ({ threshold, scope: 'user' });
const program = (threshold: number): BalanceMonitor => ({ threshold, scope: 'program' });

describe('balanceCrossings', () => {
  it.each<[string, BalanceMonitor[], number | null, number | null, { type: string; threshold: number; scope: string }[]]>([
    ['falling below', [user(1_000)], 1_500, 999, [{ type: 'BalanceLow', threshold: 1_000, scope: 'user' }]],
    ['falling to exactly the threshold is not low', [user(1_000)], 1_500, 1_000, []],
    ['falling from exactly the threshold is low', [user(1_000)], 1_000, 999, [{ type: 'BalanceLow', threshold: 1_000, scope: 'user' }]],
    ['rising back to the threshold restores', [user(1_000)], 999, 1_000, [{ type: 'BalanceRestored', threshold: 1_000, scope: 'user' }]],
    ['staying below says nothing more', [user(1_000)], 900, 500, []],
    ['staying above says nothing', [user(1_000)], 5_000, 1_001, []],
    ['one change crossing two thresholds: one event each', [user(1_000), program(500)], 2_000, 100, [
      { type: 'BalanceLow', threshold: 500, scope: 'program' },
      { type: 'BalanceLow', threshold: 1_000, scope: 'user' },
    ]],
    ['a threshold both scopes name is judged once, as the user’s', [program(1_000), user(1_000)], 2_000, 0, [{ type: 'BalanceLow', threshold: 1_000, scope: 'user' }]],
    ['a new item has nothing to cross', [user(1_000)], null, 10, []],
    ['a removed item has nothing to cross', [user(1_000)], 10, null, []],
    ['no monitors', [], 2_000, 0, []],
  ])('%s', (_name, monitors, previous, available, expected) => {
    expect(balanceCrossings(monitors, previous, available)).toEqual(
      expected.map((crossing) => ({ ...crossing, previous, available })),
    );
  });

  it('over any walk of balances, a monitor alternates Low and Restored, once per crossing (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 50 }), (threshold, walk) => {
        const events = walk.slice(1).flatMap((available, index) => balanceCrossings([user(threshold)], walk[index] ?? null, available));
        const crossings = walk.slice(1).filter((available, index) => ((walk[index] ?? 0) < threshold) !== (available < threshold)).length;
        expect(events).toHaveLength(crossings);
        events.forEach((event, index) => {
          if (index > 0) expect(event.type).not.toBe(events[index - 1]?.type);
        });
      }),
    );
  });
});

describe('crossingDetails', () => {
  const change: BalanceChange = {
    partner_id: 'acme',
    user_id: 'u-1',
    previous: 6_000,
    available: 4_000,
    own: { version: 2, balance_monitors: [5_000] },
    change_id: '000000000000000000042',
  };

  it('names every crossing after the change, with the account it happened to', () => {
    expect(crossingDetails(change, [4_500])).toEqual([
      { type: 'BalanceLow', partner_id: 'acme', user_id: 'u-1', threshold: 4_500, scope: 'program', previous: 6_000, available: 4_000, change_id: change.change_id },
      { type: 'BalanceLow', partner_id: 'acme', user_id: 'u-1', threshold: 5_000, scope: 'user', previous: 6_000, available: 4_000, change_id: change.change_id },
    ]);
  });

  it('a user whose controls were never set (version 0) is watched by the program only', () => {
    expect(crossingDetails({ ...change, own: { version: 0, balance_monitors: [5_000] } }, [])).toEqual([]);
    expect(crossingDetails({ ...change, previous: 4_000, available: 6_000, own: undefined }, [5_000])).toMatchObject([
      { type: 'BalanceRestored', threshold: 5_000, scope: 'program' },
    ]);
  });

  it('the same change judged twice (a redelivered record) gives the same details', () => {
    expect(crossingDetails(change, [4_500])).toEqual(crossingDetails({ ...change }, [4_500]));
  });
});
