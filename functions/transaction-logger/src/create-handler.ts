import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parse } from '@aws-lambda-powertools/parser';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { LoggerDependencies } from './composition.js';
import { decidedRecordSchema } from './decided-record.js';
import { observeSettlement } from './observe-settlement.js';
import { settleDecision } from './settle-decision.js';

/**
 * TransactionLogger: SQS batches of TransactionDecided events. Each record is settled on its
 * own (in parallel); a record that fails, malformed or not, is reported in batchItemFailures
 * and comes back, while the others are deleted.
 */
export const createHandler = (deps: LoggerDependencies) => {
  const settleRecord = observeSettlement((record) => {
    const { body } = parse(record, undefined, decidedRecordSchema);
    return settleDecision({ eventId: body.id, decision: body.detail }, deps);
  }, deps);

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context !== undefined) deps.logger.addContext(context);
    // One processor per invocation: it keeps the batch's successes and failures on itself, so a
    // processor shared by invocations running at once (the local event source mapping runs up to
    // its maximum concurrency through one handler) would report one batch's failures for another
    // and delete messages that failed.
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse(event, settleRecord, processor, {
        ...(context ? { context } : {}),
      });
    } finally {
      if (deps.metrics.hasStoredMetrics()) deps.metrics.publishStoredMetrics();
    }
  };
};
