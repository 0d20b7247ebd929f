import { PermanentStoreError, RetryableStoreError } from '@creditline/domain';
import { describe, expect, it } from 'vitest';
import { withRetries } from './retrying.js';

describe('withRetries', () => {
  const policy = (waits: number[]) => ({
    attempts: 3,
    baseDelayMs: 100,
    sleep: (ms: number) => Promise.resolve(void waits.push(ms)),
  });

  it('calls again after a retryable store error, backing off, until it succeeds', async () => {
    // Prepare
    const waits: number[] = [];
    let calls = 0;
    const operation = () =>
      ++calls < 3
        ? Promise.reject(new RetryableStoreError('deadlock', '40P01'))
        : Promise.resolve('done');

    // Act
    const result = await withRetries(operation, policy(waits));

    // Assess
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it.each([
    {
      case: 'a permanent store error',
      error: new PermanentStoreError('bad SQL', '42601'),
      calls: 1,
    },
    { case: 'a bug', error: new TypeError('undefined is not a function'), calls: 1 },
    {
      case: 'a retryable error on the last attempt',
      error: new RetryableStoreError('throttled'),
      calls: 3,
    },
  ])('gives up on $case', async ({ error, calls: expectedCalls }) => {
    // Prepare
    let calls = 0;

    // Act
    const outcome = withRetries(() => {
      calls += 1;
      return Promise.reject(error);
    }, policy([]));

    // Assess
    await expect(outcome).rejects.toBe(error);
    expect(calls).toBe(expectedCalls);
  });
});
