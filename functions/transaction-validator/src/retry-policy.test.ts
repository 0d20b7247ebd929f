import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, fullJitterDelay } from './retry-policy.js';

describe('full jitter', () => {
  it.each([
    [1, 5],
    [2, 10],
    [3, 20],
    [5, 80],
    [6, 100],
    [8, 100],
  ])('waits less than the cap of retry %i (%i ms), down to nothing', (retry, cap) => {
    expect(fullJitterDelay(retry, defaultRetryPolicy, () => 0)).toBe(0);
    expect(fullJitterDelay(retry, defaultRetryPolicy, () => 0.5)).toBe(cap / 2);
    expect(fullJitterDelay(retry, defaultRetryPolicy, () => 0.999_999)).toBeLessThan(cap);
  });

  it('keeps the budget inside the function timeout and the lease beyond the budget', () => {
    expect(defaultRetryPolicy.deadlineMs).toBeLessThan(10_000);
    expect(defaultRetryPolicy.leaseMs).toBeGreaterThan(defaultRetryPolicy.deadlineMs);
  });
});
