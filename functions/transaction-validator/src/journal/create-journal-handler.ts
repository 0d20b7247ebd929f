import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { toBalanceChange } from '@creditline/adapters/journal/balance-change-record';
import { toHoldJournalEntry } from '@creditline/adapters/journal/hold-journal-record';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { HealHold } from './heal-hold.js';
import type { WatchBalance } from './watch-balance.js';

export interface JournalDependencies {
  readonly healHold: HealHold;
  readonly watchBalance: WatchBalance;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * The hold journal's Lambda: CreditCache stream batches (partial batch responses, so a failed
 * record is retried from its sequence number without redoing the others' work, which is
 * idempotent anyway). Each change is first healed (a hold ends decided or given back), then
 * judged by the balance monitors.
 */
export const createJournalHandler = (deps: JournalDependencies) => {
  const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
    await healRecord(record);
    const change = toBalanceChange(record);
    if (change === null) return;
    const crossings = await deps.watchBalance(change);
    if (crossings.length > 0)
      deps.metrics.addMetric('BalanceMonitorCrossings', MetricUnit.Count, crossings.length);
  };
  const healRecord = async (record: DynamoDBRecord): Promise<void> => {
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
