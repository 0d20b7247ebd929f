import type { Difference, DifferenceKind } from '@creditline/domain';
import { describe, expect, it } from 'vitest';
import { plannedCount, planRepairs } from './repair-plan.js';

const row = (
  kind: DifferenceKind,
  user_id: string,
  ids: { deposit_id?: string; transaction_id?: string } = {},
): Difference => ({
  kind,
  user_id,
  ...ids,
  expected: null,
  actual: null,
  delta: 0,
  message: '',
});

describe('planRepairs', () => {
  it.each<[DifferenceKind, { deposit_id?: string; transaction_id?: string }, string, string]>([
    ['DEPOSIT_MISSING_IN_AURORA', { deposit_id: 'd1' }, 'replayDeposits', 'd1'],
    ['DEPOSIT_MISSING_IN_DYNAMODB', { deposit_id: 'd1' }, 'restoreDepositEvents', 'd1'],
    ['BALANCE_MISMATCH', {}, 'rebalanceUsers', 'u1'],
    ['UNSETTLED_DECISION', { transaction_id: 't1' }, 'republishDecisions', 't1'],
    ['CACHE_MISMATCH', {}, 'rebuildCacheItems', 'u1'],
    ['CACHE_WITHOUT_ACCOUNT', {}, 'rebuildCacheItems', 'u1'],
  ])('%s → %s', (kind, ids, bucket, id) => {
    // Prepare
    const differences = [row(kind, 'u1', ids)];

    // Act
    const plan = planRepairs(differences);

    // Assess
    expect(plan).toMatchObject({ [bucket]: [{ user_id: 'u1', id }], leftForOperator: 0 });
    expect(plannedCount(plan)).toBe(1);
  });

  it.each<DifferenceKind>(['DEPOSIT_AMOUNT_MISMATCH', 'CALLBACK_DEAD_LETTERED'])(
    '%s is left for an operator',
    (kind) => {
      // Prepare
      const differences = [row(kind, 'u1', { deposit_id: 'd1' })];

      // Act
      const plan = planRepairs(differences);

      // Assess
      expect(plannedCount(plan)).toBe(0);
      expect(plan.leftForOperator).toBe(1);
    },
  );

  it('repairs each target once however many rows name it', () => {
    // Prepare: a wrong balance shows as a balance row and a cache row; the cache row is planned once
    const differences = [
      row('BALANCE_MISMATCH', 'u1'),
      row('CACHE_MISMATCH', 'u1'),
      row('CACHE_MISMATCH', 'u1'),
      row('CACHE_WITHOUT_ACCOUNT', 'u1'),
    ];

    // Act
    const plan = planRepairs(differences);

    // Assess
    expect(plan.rebalanceUsers).toEqual([{ user_id: 'u1', id: 'u1' }]);
    expect(plan.rebuildCacheItems).toEqual([{ user_id: 'u1', id: 'u1' }]);
    expect(plannedCount(plan)).toBe(2);
  });
});
