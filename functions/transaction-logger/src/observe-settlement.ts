import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import type { Settlement } from './settle-decision.js';

/** Logs and counts around the per-record function, so settling itself stays silent. */
export const observeSettlement =
  (
    settle: (record: SQSRecord) => Promise<Settlement>,
    observability: { readonly logger: Logger; readonly metrics: Metrics },
  ) =>
  async (record: SQSRecord): Promise<void> => {
    const { logger, metrics } = observability;
    try {
      const settlement = await settle(record);
      if (settlement.kind === 'unknown-decision') {
        // Never retried: no decision will appear for it (the outbox publishes only stored ones).
        logger.error(
          'refused a TransactionDecided event for a decision the TransactionLog does not hold',
          {
            messageId: record.messageId,
          },
        );
        metrics.addMetric('UnknownDecisions', MetricUnit.Count, 1);
        return;
      }
      metrics.addMetric(
        settlement.firstSettlement ? 'DecisionSettled' : 'DecisionAlreadySettled',
        MetricUnit.Count,
        1,
      );
    } catch (error) {
      logger.error('decision not settled; the message will be retried', {
        messageId: record.messageId,
        error,
      });
      metrics.addMetric('SettlementFailed', MetricUnit.Count, 1);
      throw error;
    }
  };
