import { retryDelaySeconds, type BackoffPolicy } from '@creditline/adapters/sqs/backoff';
import type { CallbackOutcome } from './deliver-callback.js';

/**
 * How long the queue keeps a message hidden after an undelivered attempt, or undefined when
 * the message is done with (deleted).
 * - failed: exponential backoff with jitter, through the message's visibility timeout;
 * - refused: 0. A refusal (SSRF, unknown partner, unusable secret) will refuse again until the
 *   configuration changes, so retrying for hours helps no one; but invariant 4 forbids dropping
 *   it. Made visible at once, it uses up its receives in seconds and SQS parks it in the DLQ,
 *   where an operator sees it and, once the configuration is fixed, redrives it. (Sending it to
 *   the DLQ ourselves would lose SQS's record of the source queue that redrive relies on.)
 */
export const visibilityAfter = (
  outcome: CallbackOutcome,
  receiveCount: number,
  policy: BackoffPolicy,
  random: () => number,
): number | undefined => {
  switch (outcome.kind) {
    case 'skipped':
    case 'delivered':
      return undefined;
    case 'refused':
      return 0;
    case 'failed':
      return retryDelaySeconds(receiveCount, policy, random);
  }
};
