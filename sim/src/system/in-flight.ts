import type { LocalQueue } from '@creditline/local/queues/local-queue';

/**
 * Keeps a batch's messages invisible while its invocation runs, as AWS guarantees and the
 * simulation's compressed queue time does not.
 *
 * In AWS an SQS event source mapping requires the queue's visibility timeout to be at least the
 * function's timeout (infra sets 60 s for the transaction log), so an invocation always ends
 * before its messages can be received again. The simulation scales queue time by 0.05: the
 * transaction log's 60 s become 3 s, the callbacks' 30 s 1.5 s, which a batch outlasts on a
 * loaded machine. The local queue then hands the same message to a second poller while the
 * first is still handling it; the first one's delete carries a stale receipt handle and is
 * refused, and every overlap spends one of the message's five receives: a run on a loaded
 * machine dead-lettered all 78 of its settlements (each settled and marked) and multiplied its
 * callback retries. (The drift-after-drain CACHE_MISMATCH of issue #17 was not this but a
 * BatchProcessor shared by concurrent invocations: see the logger's create-handler.)
 *
 * So while the handler runs, the batch's messages are made invisible again for a full
 * visibility timeout every third of one; when it returns, the last extension leaves a failed
 * message visible again one visibility timeout later, as a failed invocation's are in AWS.
 * Neither handler on these queues changes a message's visibility itself, so nothing is undone.
 */
export const whileInFlight = async <T>(
  queue: Pick<LocalQueue, 'changeVisibility' | 'definition' | 'timeScale'>,
  receiptHandles: readonly string[],
  work: () => Promise<T>,
): Promise<T> => {
  const seconds = queue.definition.visibilityTimeoutSeconds;
  const everyMs = Math.max(5, (seconds * 1000 * queue.timeScale) / 3);
  const timer = setInterval(() => {
    for (const handle of receiptHandles) queue.changeVisibility(handle, seconds);
  }, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
};
