/**
 * When a callback is tried again: Svix's schedule, which partners already know. Attempt 1 is
 * immediate; after attempt n fails, attempt n+1 comes `delays[n]` later (5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h): 8 attempts over about 27 hours, each delay jittered by ±20 % so that
 * callbacks failing together (a partner outage) do not all come back together.
 *
 * The waits are far longer than an SQS visibility timeout should be stretched, and a message
 * hidden for hours counts against the queue's in-flight limit (120,000 for a standard queue:
 * one partner's outage would stop every partner's callbacks). So a retry is a new message,
 * sent with DelaySeconds (at most 900 s): a wait longer than 15 minutes is a chain of such
 * hops, each message carrying the time its attempt is due. Attempt state lives on the delivery
 * record, not in the queue's receive count.
 */
export interface RetryPolicy {
  /** Seconds before attempt n+1 after attempt n failed, n = 1.. (index 0 is attempt 1: immediate). */
  readonly delaysSeconds: readonly number[];
  /** Fraction of each delay added or removed at random. */
  readonly jitter: number;
  /** A Retry-After longer than this is not waited for in full. */
  readonly maxRetryAfterSeconds: number;
  /** An endpoint failing without a single success for this long is disabled. */
  readonly disableAfterMs: number;
}

export const svixSchedule: RetryPolicy = {
  delaysSeconds: [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600],
  jitter: 0.2,
  maxRetryAfterSeconds: 24 * 3600,
  disableAfterMs: 5 * 24 * 3600_000,
};

/** SQS's largest DelaySeconds. */
export const MAX_DELAY_SECONDS = 900;

export const maxAttempts = (policy: RetryPolicy): number => policy.delaysSeconds.length;

/**
 * Retry-After as RFC 9110 gives it: delay-seconds or an HTTP-date. Undefined when absent or
 * unreadable (then the schedule alone decides).
 */
export const retryAfterSeconds = (header: string | undefined, now: Date): number | undefined => {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
};

/**
 * Seconds until attempt `failedAttempt + 1`, or undefined when the schedule is exhausted. The
 * endpoint's Retry-After (429/503) is honoured when it asks for longer than the schedule.
 * `random` returns [0, 1) and comes in so tests can pin it.
 */
export const nextAttemptDelaySeconds = (
  failedAttempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfter?: number,
): number | undefined => {
  if (failedAttempt >= maxAttempts(policy)) return undefined;
  const base = policy.delaysSeconds[failedAttempt] ?? 0;
  const jittered = Math.max(base > 0 ? 1 : 0, Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random())));
  return retryAfter === undefined ? jittered : Math.max(jittered, Math.min(retryAfter, policy.maxRetryAfterSeconds));
};

/** The DelaySeconds of the next hop towards `dueAt`: 0 when it is due. */
export const hopDelaySeconds = (dueAt: Date, now: Date): number =>
  Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((dueAt.getTime() - now.getTime()) / 1000)));
