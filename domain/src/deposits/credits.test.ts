import { describe, expect, it } from 'vitest';
import { sumCreditsByUser } from './credits.js';

describe('sumCreditsByUser', () => {
  it('sums each user once, in order of first appearance', () => {
    // Prepare
    const rows = [
      { user_id: 'user-b', amount: 100 },
      { user_id: 'user-a', amount: 250 },
      { user_id: 'user-b', amount: 1 },
    ];

    // Act
    const sums = sumCreditsByUser(rows);

    // Assess
    expect([...sums]).toEqual([
      ['user-b', 101],
      ['user-a', 250],
    ]);
  });

  it('returns an empty map for an empty batch', () => {
    // Act / Assess
    expect(sumCreditsByUser([]).size).toBe(0);
  });

  it('refuses a sum beyond exact integer arithmetic (a bug, thrown)', () => {
    // Prepare
    const rows = [
      { user_id: 'user-a', amount: Number.MAX_SAFE_INTEGER },
      { user_id: 'user-a', amount: 1 },
    ];

    // Act / Assess
    expect(() => sumCreditsByUser(rows)).toThrow(RangeError);
  });
});
