/**
 * SQS event source mappings and the timeouts they imply. AWS asks for a queue visibility
 * timeout of at least six times the consuming function's timeout, plus the mapping's batching
 * window: Lambda retries throttled invocations of a batch for as long as the batch stays
 * hidden, and a message whose visibility ends while a slow invocation still holds it is
 * delivered a second time. Every mapping the program declares is checked here, whatever its
 * queue or function (a mapping from a stream has no visibility timeout and is not concerned).
 */
export interface QueueConsumer {
  /** The queue's logical name, for the message. */
  readonly queue: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly functionName: string;
  readonly functionTimeoutSeconds: number;
}

/** The smallest visibility timeout AWS recommends for a consumer. */
export const minimumVisibilitySeconds = (
  consumer: Pick<QueueConsumer, 'functionTimeoutSeconds' | 'maximumBatchingWindowSeconds'>,
): number => 6 * consumer.functionTimeoutSeconds + consumer.maximumBatchingWindowSeconds;

/** One line per mapping whose queue's visibility timeout is too short for its function. */
export const visibilityProblems = (consumers: readonly QueueConsumer[]): string[] =>
  consumers.flatMap((consumer) => {
    const minimum = minimumVisibilitySeconds(consumer);
    return consumer.visibilityTimeoutSeconds >= minimum
      ? []
      : [
          `queue ${consumer.queue} → ${consumer.functionName}: visibility timeout ${consumer.visibilityTimeoutSeconds} s is below ` +
            `6 × ${consumer.functionTimeoutSeconds} s (function timeout) + ${consumer.maximumBatchingWindowSeconds} s (batching window) = ${minimum} s`,
        ];
  });

/** Throws with every problem listed; the program calls it before declaring a mapping. */
export const assertVisibility = (consumers: readonly QueueConsumer[]): void => {
  const problems = visibilityProblems(consumers);
  if (problems.length > 0) throw new Error(problems.join('\n'));
};
