import type { QueueDefinition } from '../definitions/queues.js';

/**
 * Exponential backoff carried by the message itself: a consumer that fails extends the
 * message's visibility, min(base · 2^(receiveCount−1), cap), with jitter so that callbacks
 * failing together (a partner outage) do not come back together.
 */
export interface BackoffPolicy {
  readonly baseSeconds: number;
  readonly capSeconds: number;
}

/** SQS refuses visibility timeouts above 12 hours; creditline caps far below at 15 minutes. */
export const MAX_BACKOFF_SECONDS = 15 * 60;

/** The backoff of a queue: it starts at the queue's own visibility timeout. */
export const backoffFor = (
  queue: Pick<QueueDefinition, 'visibilityTimeoutSeconds'>,
): BackoffPolicy => ({
  baseSeconds: queue.visibilityTimeoutSeconds,
  capSeconds: MAX_BACKOFF_SECONDS,
});

/**
 * Seconds to keep the message hidden after its `receiveCount`-th delivery failed. "Equal
 * jitter": between half the exponential ceiling and the ceiling, never less than a second.
 * `random` returns [0, 1) and comes in so tests can pin it.
 */
export const retryDelaySeconds = (
  receiveCount: number,
  policy: BackoffPolicy,
  random: () => number,
): number => {
  const exponent = Math.max(0, Math.floor(receiveCount) - 1);
  const ceiling = Math.min(policy.baseSeconds * 2 ** Math.min(exponent, 30), policy.capSeconds);
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
};
