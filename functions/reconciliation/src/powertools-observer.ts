import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { RunObserver } from './ports.js';

/**
 * The run's figures as CloudWatch metrics (the drift alarm in infra/ watches DriftAmount) and
 * each repair as one log line. DriftAmount is in cents.
 */
export const createPowertoolsObserver = (logger: Logger, metrics: Metrics): RunObserver => ({
  checked(summary) {
    metrics.addMetric('UsersChecked', MetricUnit.Count, summary.users_checked);
    metrics.addMetric('DriftedUsers', MetricUnit.Count, summary.drifted_users);
    metrics.addMetric('DriftAmount', MetricUnit.Count, summary.drift_amount);
    metrics.addMetric('UnsettledDecisions', MetricUnit.Count, summary.unsettled_decisions);
    metrics.addMetric('DeadLetteredCallbacks', MetricUnit.Count, summary.dead_lettered_callbacks);
    const log = summary.drifted_users > 0 ? logger.warn.bind(logger) : logger.info.bind(logger);
    log('reconciliation checked', { summary });
  },
  repaired(outcome) {
    if (outcome.result === 'FAILED') logger.error('repair failed', { repair: outcome });
    else
      logger.info(outcome.result === 'REPAIRED' ? 'repaired' : 'repair skipped', {
        repair: outcome,
      });
  },
  finished(summary) {
    metrics.addMetric('Repairs', MetricUnit.Count, summary.repairs?.repaired ?? 0);
    logger.info('reconciliation finished', {
      run_id: summary.run_id,
      repairs: summary.repairs ?? null,
    });
  },
});
