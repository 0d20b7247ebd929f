import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { toHoldJournalEntry } from '@creditline/adapters/journal/hold-journal-record';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { HealHold } from './heal-hold.js';

export interface JournalDependencies {
  readonly healHold: HealHold;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * The hold journal's Lambda: CreditCache stream batches (partial batch responses, so a failed
 * record is retried from its sequence number without redoing the others' work, which is
 * idempotent anyway).
 */
export const createJournalHandler = (deps: JournalDependencies) => {
  const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
    const entry = toHoldJournalEntry(record);
    if (entry === null) return;
    const outcome = await deps.healHold(entry);
    if (outcome === 'finalized' || outcome === 'released') {
      deps.logger.warn(`hold journal ${outcome} a hold`, {
        user_id: entry.user_id,
        key: entry.stamp.key,
        attempt: entry.stamp.attempt,
        amount: entry.stamp.amount,
      });
      deps.metrics.addMetric(
        outcome === 'finalized' ? 'HoldsFinalizedByJournal' : 'HoldsReleasedByJournal',
        MetricUnit.Count,
        1,
      );
    }
  };
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    // One processor per invocation: it keeps the batch's outcome on itself (see the logger's).
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    try {
      return await processPartialResponse(event, handleRecord, processor);
    } finally {
      if (deps.metrics.hasStoredMetrics()) deps.metrics.publishStoredMetrics();
    }
  };
};
