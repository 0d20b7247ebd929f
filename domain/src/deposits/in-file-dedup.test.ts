import { describe, expect, it } from 'vitest';
import { createInFileDedup } from './in-file-dedup.js';
import type { DepositRow } from './row.js';

const deposit = (
  line: number,
  deposit_id: string,
  user_id: string,
  amount: number,
): DepositRow => ({
  deposit_id,
  user_id,
  amount,
  timestamp: '2026-02-28T00:00:00.000Z',
  line,
});

describe('createInFileDedup', () => {
  it('records new deposit_ids and judges each repeat against the first occurrence', () => {
    // Prepare
    const dedup = createInFileDedup();
    const rows = [
      deposit(2, 'dep-1', 'user-1', 500),
      deposit(3, 'dep-2', 'user-1', 700),
      deposit(4, 'dep-1', 'user-1', 500),
      deposit(5, 'dep-1', 'user-1', 501),
      deposit(6, 'dep-2', 'user-2', 700),
      deposit(7, 'dep-3', 'user-2', 100),
    ];

    // Act
    const verdicts = rows.map((row) => dedup.check(row));

    // Assess
    expect(verdicts).toEqual([
      null,
      null,
      {
        line: 4,
        reason: 'DUPLICATE_IN_FILE',
        message: 'line 4: deposit_id "dep-1" repeats line 2 (same user and amount)',
      },
      {
        line: 5,
        reason: 'CONFLICT_IN_FILE',
        message:
          'line 5: deposit_id "dep-1" was first seen on line 2; amount 5.01 differs from 5.00',
      },
      {
        line: 6,
        reason: 'CONFLICT_IN_FILE',
        message:
          'line 6: deposit_id "dep-2" was first seen on line 3; user_id "user-2" differs from "user-1"',
      },
      null,
    ]);
    expect(dedup.size).toBe(3);
  });

  it('keeps up with 150,000 distinct deposits', () => {
    // Prepare
    const dedup = createInFileDedup();

    // Act
    let repeats = 0;
    for (let line = 2; line < 150_002; line++) {
      if (dedup.check(deposit(line, `dep-${line}`, `user-${line % 20_000}`, line)) !== null)
        repeats += 1;
    }

    // Assess
    expect([repeats, dedup.size]).toEqual([0, 150_000]);
  });
});
