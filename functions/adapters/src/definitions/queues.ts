/**
 * SQS queues and their redrive settings, defined once for `infra/` and the local runtime.
 * visibilityTimeoutSeconds is the first retry delay; consumers that back off extend it per
 * message (ChangeMessageVisibility). maxReceiveCount is how many deliveries before the DLQ.
 */
export interface QueueDefinition {
  readonly logicalName: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly messageRetentionSeconds: number;
  readonly dlqRetentionSeconds: number;
  /** Lambda event source mapping batch size. */
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  /** The event source mapping's maximum concurrency: batches handled at once. */
  readonly maximumConcurrency: number;
}

const fourDays = 4 * 24 * 3600;
const fourteenDays = 14 * 24 * 3600;

/** Settles decisions into Aurora and the audit stream. */
export const transactionLogQueue = {
  logicalName: 'transaction-log',
  visibilityTimeoutSeconds: 60,
  maxReceiveCount: 5,
  messageRetentionSeconds: fourDays,
  dlqRetentionSeconds: fourteenDays,
  batchSize: 25,
  maximumBatchingWindowSeconds: 1,
  // Caps the load on Aurora.
  maximumConcurrency: 5,
} as const satisfies QueueDefinition;

/** Delivers decisions to partner callback URLs; retries back off exponentially. */
export const callbacksQueue = {
  logicalName: 'callbacks',
  visibilityTimeoutSeconds: 30,
  maxReceiveCount: 8,
  messageRetentionSeconds: fourDays,
  dlqRetentionSeconds: fourteenDays,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  // Caps the load on partners; one slow endpoint holds at most its bulkhead's share of it.
  maximumConcurrency: 10,
} as const satisfies QueueDefinition;

export const queues = [transactionLogQueue, callbacksQueue] as const;

export const dlqName = (queueName: string): string => `${queueName}-dlq`;
