import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { isRetryable } from '@creditline/domain';
import { performance } from 'node:perf_hooks';
import type { Authorize } from '../authorize.js';
import { metricNames } from './metric-names.js';

/** Times every answer and counts the ones that are not decisions. */
export const observeAuthorize =
  (authorize: Authorize, { logger, metrics }: { logger: Logger; metrics: Metrics }): Authorize =>
  async (command) => {
    const started = performance.now();
    try {
      const outcome = await authorize(command);
      if (outcome.type === 'invalid') {
        metrics.addMetric(metricNames.invalidRequests, MetricUnit.Count, 1);
        return outcome;
      }
      if (outcome.type === 'invalid-callback-url') {
        metrics.addMetric(metricNames.invalidCallbackUrls, MetricUnit.Count, 1);
        return outcome;
      }
      metrics.addMetric(
        metricNames.decisionLatency,
        MetricUnit.Milliseconds,
        performance.now() - started,
      );
      if (outcome.type === 'duplicate')
        metrics.addMetric(metricNames.duplicateTransactionIds, MetricUnit.Count, 1);
      if (outcome.type === 'unavailable') {
        metrics.addMetric(metricNames.serviceUnavailable, MetricUnit.Count, 1);
        logger.warn('decision attempts spent on a contended account', { outcome });
      }
      return outcome;
    } catch (error) {
      if (isRetryable(error))
        metrics.addMetric(metricNames.serviceUnavailable, MetricUnit.Count, 1);
      throw error;
    }
  };
