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
  ])('waits less than the cap of attempt %i (%i ms), down to nothing', (attempt, cap) => {
    expect(fullJitterDelay(attempt, defaultRetryPolicy, () => 0)).toBe(0);
    expect(fullJitterDelay(attempt, defaultRetryPolicy, () => 0.5)).toBe(cap / 2);
    expect(fullJitterDelay(attempt, defaultRetryPolicy, () => 0.999_999)).toBeLessThan(cap);
  });

  it('bounds the whole retrying well under the function timeout', () => {
    const worst = Array.from({ length: defaultRetryPolicy.maxAttempts - 1 }, (_, index) =>
      fullJitterDelay(index + 1, defaultRetryPolicy, () => 1),
    ).reduce((sum, ms) => sum + ms, 0);
    expect(worst).toBeLessThanOrEqual(400);
  });
});
