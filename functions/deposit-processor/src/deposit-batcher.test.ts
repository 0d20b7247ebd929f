import { describe, expect, it } from 'vitest';
import { createDepositBatcher } from './deposit-batcher.js';

/** Users of the deposits, in order: `batchesOf(10, ['a', 'a', 'b'])` → the batches of user names. */
const batchesOf = (maxItems: number, users: readonly string[]): string[][] => {
  const batcher = createDepositBatcher<string>(maxItems, (user) => user);
  const batches: string[][] = [];
  for (const user of users) {
    const closed = batcher.add(user);
    if (closed !== null) batches.push([...closed]);
  }
  const last = batcher.flush();
  if (last !== null) batches.push([...last]);
  return batches;
};

describe('createDepositBatcher', () => {
  it.each([
    {
      case: 'a deposit and its user are two items',
      maxItems: 4,
      users: ['a', 'b', 'c'],
      batches: [['a', 'b'], ['c']],
    },
    {
      case: "a user's second deposit is one item more",
      maxItems: 4,
      users: ['a', 'a', 'a', 'b'],
      batches: [['a', 'a', 'a'], ['b']],
    },
    {
      case: 'one user fills a batch with deposits alone',
      maxItems: 100,
      users: Array<string>(150).fill('a'),
      batches: [Array<string>(99).fill('a'), Array<string>(51).fill('a')],
    },
    {
      case: 'distinct users: 50 deposits per 100 items',
      maxItems: 100,
      users: Array.from({ length: 120 }, (_, i) => `u${i}`),
      batches: [50, 50, 20].map((n, b) => Array.from({ length: n }, (_, i) => `u${b * 50 + i}`)),
    },
    { case: 'nothing added: no batch', maxItems: 100, users: [], batches: [] },
  ])('$case', ({ maxItems, users, batches }) => {
    expect(batchesOf(maxItems, users)).toEqual(batches);
  });

  it('never closes a batch of more items than allowed', () => {
    // Prepare: a pseudo-random mix of 30 users
    const users = Array.from({ length: 5000 }, (_, i) => `u${(i * 7919) % 30}`);

    // Act
    const batches = batchesOf(100, users);

    // Assess
    for (const batch of batches)
      expect(batch.length + new Set(batch).size).toBeLessThanOrEqual(100);
    expect(batches.flat()).toEqual(users);
  });
});
