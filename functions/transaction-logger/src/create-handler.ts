import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LoggerDependencies } from './composition.js';
import { decidedRecordSchema } from './decided-record.js';
import { settleDecision } from './settle-decision.js';

/**
 * TransactionLogger: SQS batches of TransactionDecided events. Each record is settled on its
 * own (in parallel); a record that fails, malformed or not, is reported in batchItemFailures
 * and comes back, while the others are deleted. Failures are logged with the message id.
 */
export const createHandler = (deps: LoggerDependencies) => {
  const processor = new BatchProcessor(EventType.SQS);

  const settleRecord = async (record: SQSRecord): Promise<void> => {
    try {
      const { body } = parse(record, undefined, decidedRecordSchema);
      const { firstSettlement } = await settleDecision({ eventId: body.id, decision: body.detail }, deps);
      deps.metrics.addMetric(firstSettlement ? 'DecisionSettled' : 'DecisionAlreadySettled', MetricUnit.Count, 1);
    } catch (error) {
      deps.logger.error('decision not settled; the message will be retried', { messageId: record.messageId, error });
      deps.metrics.addMetric('SettlementFailed', MetricUnit.Count, 1);
      throw error;
    }
  };

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context !== undefined) deps.logger.addContext(context);
    try {
      return await processPartialResponse(event, settleRecord, processor, { ...(context ? { context } : {}) });
    } finally {
      if (deps.metrics.hasStoredMetrics()) deps.metrics.publishStoredMetrics();
    }
  };
};
