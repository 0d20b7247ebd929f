import { describe, expect, it } from 'vitest';
import { compareDifferences, type Difference } from './report.js';

const difference = (
  kind: Difference['kind'],
  user_id: string,
  id: { deposit_id?: string; transaction_id?: string } = {},
): Difference => ({
  kind,
  user_id,
  ...id,
  expected: null,
  actual: null,
  delta: 0,
  message: '',
});

describe('compareDifferences', () => {
  it('orders by kind, then user_id and id in code-unit order (never locale order)', () => {
    // Prepare
    const shuffled = [
      difference('CALLBACK_DEAD_LETTERED', 'a', { transaction_id: 'tx-1' }),
      difference('DEPOSIT_MISSING_IN_AURORA', 'a', { deposit_id: 'd-2' }),
      difference('DEPOSIT_MISSING_IN_AURORA', 'a', { deposit_id: 'd-10' }),
      difference('BALANCE_MISMATCH', 'b'),
      difference('BALANCE_MISMATCH', 'B'),
      difference('UNSETTLED_DECISION', 'a', { transaction_id: 'tx-2' }),
      difference('UNSETTLED_DECISION', 'a', { transaction_id: 'tx-1' }),
      difference('BALANCE_MISMATCH', 'a'),
    ];

    // Act
    const sorted = [...shuffled].sort(compareDifferences);

    // Assess
    expect(
      sorted.map((d) => `${d.kind} ${d.user_id} ${d.deposit_id ?? d.transaction_id ?? ''}`.trim()),
    ).toEqual([
      'BALANCE_MISMATCH B',
      'BALANCE_MISMATCH a',
      'BALANCE_MISMATCH b',
      'DEPOSIT_MISSING_IN_AURORA a d-10',
      'DEPOSIT_MISSING_IN_AURORA a d-2',
      'UNSETTLED_DECISION a tx-1',
      'UNSETTLED_DECISION a tx-2',
      'CALLBACK_DEAD_LETTERED a tx-1',
    ]);
  });
});
