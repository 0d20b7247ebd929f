/** How hard the use-case tries when other holds keep moving the account under it. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Cap of the first wait; it doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** What a 503 tells the caller to wait once the attempts are spent. */
  readonly retryAfterSeconds: number;
}

/**
 * Eight attempts, waits of at most 5, 10, 20, 40, 80, 100, 100 ms: a hot account gets well
 * under a second of retrying before the caller is told to come back, and a Lambda's 10 s
 * timeout is never approached.
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 5,
  maxDelayMs: 100,
  retryAfterSeconds: 1,
};

/**
 * "Full jitter" (uniform in [0, cap)): contenders that lost the same race spread out instead of
 * colliding again on the next round. `random` is uniform in [0, 1).
 */
export const fullJitterDelay = (
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number => random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
