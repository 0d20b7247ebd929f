import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { DecisionLog } from '@creditline/domain';
import { metricNames } from './metric-names.js';

/**
 * Counts what the TransactionLog records: permits, rejects by reason (only committed
 * decisions: a replay is not a second decision), and version conflicts.
 */
export const observeDecisionLog = (
  decisions: DecisionLog,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
): DecisionLog => ({
  find: (partnerId, transactionId) => decisions.find(partnerId, transactionId),
  async commit(record, hold) {
    const outcome = await decisions.commit(record, hold);
    logger.debug('commit', {
      partner_id: record.partner_id,
      transaction_id: record.transaction_id,
      status: record.status,
      outcome,
    });
    if (outcome === 'contended') {
      metrics.addMetric(metricNames.versionConflictRetries, MetricUnit.Count, 1);
    } else if (outcome === 'committed') {
      if (record.reason === null) {
        metrics.addMetric(metricNames.permitted, MetricUnit.Count, 1);
      } else {
        // A metric with its own dimension is emitted on its own, apart from the buffered ones.
        metrics
          .singleMetric()
          .addDimension('reason', record.reason)
          .addMetric(metricNames.rejected, MetricUnit.Count, 1);
      }
    }
    return outcome;
  },
});
