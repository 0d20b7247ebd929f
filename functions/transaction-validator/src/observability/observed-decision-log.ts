import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { DecisionLog } from '@creditline/domain';
import { metricNames } from './metric-names.js';

/**
 * Counts what the TransactionLog records: permits, rejects by reason (only decisions this
 * request finalized: a replay is not a second decision), and take-overs of a claim.
 */
export const observeDecisionLog = (
  decisions: DecisionLog,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
): DecisionLog => ({
  find: (partnerId, transactionId) => decisions.find(partnerId, transactionId),
  read: (partnerId, transactionId) => decisions.read(partnerId, transactionId),
  claim: (claim) => decisions.claim(claim),
  abandon: (partnerId, transactionId, attempt, owner) =>
    decisions.abandon(partnerId, transactionId, attempt, owner),
  async takeOver(partnerId, transactionId, fromAttempt, to) {
    const outcome = await decisions.takeOver(partnerId, transactionId, fromAttempt, to);
    if (outcome.kind === 'claimed') {
      logger.info('claim taken over', {
        partner_id: partnerId,
        transaction_id: transactionId,
        from_attempt: fromAttempt,
        attempt: to.attempt,
      });
      metrics.addMetric(metricNames.claimTakeOvers, MetricUnit.Count, 1);
    }
    return outcome;
  },
  async finalize(partnerId, transactionId, attempt, verdict) {
    const outcome = await decisions.finalize(partnerId, transactionId, attempt, verdict);
    logger.debug('finalize', {
      partner_id: partnerId,
      transaction_id: transactionId,
      attempt,
      status: verdict.status,
      outcome: outcome.kind,
    });
    if (outcome.kind === 'decided') {
      if (verdict.reason === null) {
        metrics.addMetric(metricNames.permitted, MetricUnit.Count, 1);
      } else {
        // A metric with its own dimension is emitted on its own, apart from the buffered ones.
        metrics
          .singleMetric()
          .addDimension('reason', verdict.reason)
          .addMetric(metricNames.rejected, MetricUnit.Count, 1);
      }
    }
    return outcome;
  },
});
