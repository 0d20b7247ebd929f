import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parse } from '@aws-lambda-powertools/parser';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DispatcherDependencies } from './composition.js';
import { decidedRecordSchema } from './decided-record.js';
import { deliverCallback, type CallbackOutcome } from './deliver-callback.js';
import { observeDelivery } from './observe-delivery.js';
import { visibilityAfter } from './retry-visibility.js';

export class CallbackNotDeliveredError extends Error {
  override name = 'CallbackNotDeliveredError';
  constructor(readonly outcome: CallbackOutcome) {
    super(`callback not delivered: ${JSON.stringify(outcome)}`);
  }
}

/**
 * CallbackDispatcher: one delivery per record. An undelivered record gets its backoff as a new
 * visibility timeout and is reported failed, so SQS brings it back then (and parks it in the
 * DLQ after maxReceiveCount). A whole batch failing is normal here (a partner is down), so it
 * is reported as item failures rather than thrown.
 */
export const createHandler = (deps: DispatcherDependencies) => {
  const processor = new BatchProcessor(EventType.SQS);
  const deliver = observeDelivery((message) => deliverCallback(message, deps), deps);

  const deliverRecord = async (record: SQSRecord): Promise<void> => {
    const { body, attributes } = parse(record, undefined, decidedRecordSchema);
    const receiveCount = Number(attributes.ApproximateReceiveCount);
    const outcome = await deliver({
      decision: body.detail,
      receiveCount,
      maxReceiveCount: deps.maxReceiveCount,
    });
    const hideFor = visibilityAfter(outcome, receiveCount, deps.backoff, deps.random);
    if (hideFor === undefined) return;
    await deps.visibility.change(record.receiptHandle, hideFor);
    throw new CallbackNotDeliveredError(outcome);
  };

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context !== undefined) deps.logger.addContext(context);
    try {
      return await processPartialResponse(event, deliverRecord, processor, {
        throwOnFullBatchFailure: false,
        ...(context ? { context } : {}),
      });
    } finally {
      if (deps.metrics.hasStoredMetrics()) deps.metrics.publishStoredMetrics();
    }
  };
};
