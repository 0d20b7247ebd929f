import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parse } from '@aws-lambda-powertools/parser';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { callbackRecordSchema } from './callback-message.js';
import type { DispatcherDependencies } from './composition.js';
import { deliverCallback } from './deliver-callback.js';
import { dispatchCallback, type DispatchMessage } from './dispatch-callback.js';
import { observeDelivery } from './observe-delivery.js';
import { observeDispatch } from './observe-dispatch.js';

/** Without a Lambda context (the local runtime's direct calls), a send gets its full timeout. */
const NO_DEADLINE_MS = 60_000;

/**
 * CallbackDispatcher: one attempt per record, records in parallel. A failed attempt is not a
 * failed record: its retry is a new delayed message (see retry-schedule.ts), so the record is
 * done with and deleted. A record fails (and SQS redelivers it after the visibility timeout,
 * then parks it in the DLQ) only when it cannot be read or a store failed: attempts are fenced
 * on the delivery record, so the redelivery neither repeats nor skips one.
 */
export const createHandler = (deps: DispatcherDependencies) => {
  const deliver = observeDelivery((message) => deliverCallback(message, deps), deps);
  const dispatch = observeDispatch(
    (message) => dispatchCallback(message, { ...deps, deliver }),
    deps,
  );

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context !== undefined) deps.logger.addContext(context);
    const remainingMs = (): number => context?.getRemainingTimeInMillis() ?? NO_DEADLINE_MS;
    const dispatchRecord = async (record: SQSRecord): Promise<void> => {
      const { body } = parse(record, undefined, callbackRecordSchema);
      const message: DispatchMessage =
        'type' in body
          ? {
              detail: body.detail,
              attempt: body.attempt,
              dueAt: new Date(body.due_at),
              messageId: record.messageId,
              remainingMs: remainingMs(),
            }
          : {
              detail: body.detail,
              attempt: 1,
              messageId: record.messageId,
              remainingMs: remainingMs(),
            };
      try {
        await dispatch(message);
      } catch (error) {
        deps.logger.error('record failed: SQS delivers it again after its visibility timeout', {
          messageId: record.messageId,
          error,
        });
        throw error;
      }
    };
    // One processor per invocation: it keeps the batch's successes and failures on itself, so a
    // processor shared by invocations running at once (the local event source mapping runs up to
    // its maximum concurrency through one handler) would report one batch's failures for another
    // and delete messages that failed.
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse(event, dispatchRecord, processor, {
        throwOnFullBatchFailure: false,
        ...(context ? { context } : {}),
      });
    } finally {
      if (deps.metrics.hasStoredMetrics()) deps.metrics.publishStoredMetrics();
    }
  };
};
