import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { LocalQueue, ReceivedMessage } from './local-queue.js';

/**
 * Plays Lambda's SQS event source mapping over a local queue: receives batches (batch size and
 * batching window from the queue definition), invokes the real handler with a real-shaped
 * SQSEvent, and honours ReportBatchItemFailures: the records named in `batchItemFailures`
 * stay on the queue (with whatever visibility the handler gave them), the others are deleted.
 * A handler that throws, or names a record not in the batch, fails the whole batch, as Lambda
 * does. Up to the queue's maximum concurrency of batches are handled at once, each by its own
 * poller, as Lambda runs concurrent invocations.
 */
export type SqsHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined>;

export interface EventSourceMappingOptions {
  readonly queue: LocalQueue;
  readonly handler: SqsHandler;
  readonly functionName: string;
  readonly batchSize?: number;
  /** Batches handled at once (Lambda's maximum concurrency); the queue definition's by default. */
  readonly concurrency?: number;
  /** Idle polling interval, in real milliseconds. */
  readonly pollIntervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

export interface BatchReport {
  readonly received: number;
  /** Message ids left on the queue. */
  readonly failed: readonly string[];
}

export interface EventSourceMapping {
  /** Receives and handles one batch (if any message is visible). */
  runOnce(): Promise<BatchReport>;
  start(): void;
  stop(): Promise<void>;
}

const toRecord = (message: ReceivedMessage, queue: LocalQueue): SQSRecord => ({
  messageId: message.messageId,
  receiptHandle: message.receiptHandle,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    SenderId: 'AIDAIT2UOQQY3AUEKVGXU',
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
  },
  messageAttributes: {},
  md5OfBody: message.md5OfBody,
  eventSource: 'aws:sqs',
  eventSourceARN: queue.arn,
  awsRegion: queue.region,
});

const contextFor = (functionName: string, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  const context: Omit<Context, 'done' | 'fail' | 'succeed'> = {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  // The callback-style methods are deprecated and unused by promise handlers.
  return context as Context;
};

export const createEventSourceMapping = (
  options: EventSourceMappingOptions,
): EventSourceMapping => {
  const { queue, handler, functionName } = options;
  const batchSize = options.batchSize ?? queue.definition.batchSize;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  let running = false;
  const isRunning = (): boolean => running;
  const concurrency = options.concurrency ?? queue.definition.maximumConcurrency;
  let loops: Promise<void>[] = [];
  const wakers = new Set<() => void>();

  /**
   * Like Lambda's batching window: when fewer than a batch are waiting, wait up to the window
   * for more, then receive once (receiving twice could hand one message over twice when scaled
   * time makes the visibility timeout shorter than the wait).
   */
  const receiveBatch = async (): Promise<ReceivedMessage[]> => {
    const waiting = queue.counts().visible;
    if (waiting === 0) return [];
    const windowMs = queue.definition.maximumBatchingWindowSeconds * 1000 * queue.timeScale;
    if (waiting < batchSize && windowMs > 0)
      await new Promise((resolve) => setTimeout(resolve, windowMs));
    return queue.receive(batchSize);
  };

  const runOnce = async (): Promise<BatchReport> => {
    const messages = await receiveBatch();
    if (messages.length === 0) return { received: 0, failed: [] };
    const records = messages.map((message) => toRecord(message, queue));
    const ids = new Set(records.map((record) => record.messageId));
    let failedIds: Set<string>;
    try {
      const response = await handler(
        { Records: records },
        contextFor(functionName, queue.definition.visibilityTimeoutSeconds * 1000),
      );
      const named = response?.batchItemFailures.map((failure) => failure.itemIdentifier) ?? [];
      failedIds = named.every((id) => ids.has(id)) ? new Set(named) : ids;
    } catch (error) {
      options.onError?.(error);
      failedIds = ids;
    }
    for (const message of messages)
      if (!failedIds.has(message.messageId)) queue.delete(message.receiptHandle);
    return { received: messages.length, failed: [...failedIds] };
  };

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      // Independent pollers, as Lambda runs concurrent invocations: a slow batch holds one only.
      loops = Array.from({ length: concurrency }, async () => {
        while (isRunning()) {
          const report = await runOnce().catch((error: unknown) => {
            options.onError?.(error);
            return { received: 0, failed: [] };
          });
          if (report.received > 0) continue;
          const next = queue.nextVisibleInMs();
          const idle = Math.max(1, Math.min(pollIntervalMs, next ?? pollIntervalMs));
          await new Promise<void>((resolve) => {
            wakers.add(resolve);
            setTimeout(() => {
              wakers.delete(resolve);
              resolve();
            }, idle);
          });
        }
      });
    },
    async stop() {
      running = false;
      for (const wake of wakers) wake();
      await Promise.all(loops);
    },
  };
};
