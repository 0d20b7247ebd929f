import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Powertools Logger and Metrics for one function, built once per cold start. Service name and
 * namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE when set (infra
 * sets them); these defaults keep the local runtime and tests readable.
 */
export const createObservability = (serviceName: string): { logger: Logger; metrics: Metrics } => ({
  logger: new Logger({ serviceName }),
  metrics: new Metrics({ namespace: 'creditline', serviceName }),
});
