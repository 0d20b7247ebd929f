/**
 * How long and how hard one request tries to commit. Contention never spends it: concurrent
 * holds on one account serialize in the store and each succeeds or is refused by the rules at
 * once. It is spent only by a store that throttles or does not answer, and by waiting for a
 * concurrent duplicate (or a crashed one's lease) to finish.
 */
export interface RetryPolicy {
  /** Time one request may spend deciding before it answers 503 + Retry-After. */
  readonly deadlineMs: number;
  /**
   * How long a claim is its owner's alone. Longer than the deadline plus one store call, so an
   * owner has stopped writing before a retry takes over (the journal makes even a late write safe).
   */
  readonly leaseMs: number;
  /** Cap of the first wait after a throttle; it doubles per retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** First wait between reads of a claim another request is deciding; it doubles up to `maxDelayMs`. */
  readonly pollDelayMs: number;
  /** The least a 503 tells the caller to wait. */
  readonly retryAfterSeconds: number;
}

/**
 * A 5 s budget (the Lambda timeout is 10 s, API Gateway's 30 s) and a 10 s lease; waits of at
 * most 5, 10, 20, 40, 80, 100 ms after a throttle, polls from 5 ms.
 */
export const defaultRetryPolicy: RetryPolicy = {
  deadlineMs: 5_000,
  leaseMs: 10_000,
  baseDelayMs: 5,
  maxDelayMs: 100,
  pollDelayMs: 5,
  retryAfterSeconds: 1,
};

/**
 * "Full jitter" (uniform in [0, cap)): contenders that were throttled together spread out
 * instead of colliding again on the next round. `random` is uniform in [0, 1).
 */
export const fullJitterDelay = (
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number => random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
