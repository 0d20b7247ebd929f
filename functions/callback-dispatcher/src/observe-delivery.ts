import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { callbackContext } from './callback-message.js';
import type { CallbackMessage, CallbackOutcome } from './deliver-callback.js';

const metricOf: Readonly<Record<CallbackOutcome['kind'], string>> = {
  skipped: 'CallbackSkipped',
  delivered: 'CallbackDelivered',
  failed: 'CallbackFailed',
  refused: 'CallbackRefused',
};

/** Logs and counts every outcome around the use-case, so the use-case itself stays silent. */
export const observeDelivery =
  (
    deliver: (message: CallbackMessage) => Promise<CallbackOutcome>,
    observability: { readonly logger: Logger; readonly metrics: Metrics },
  ) =>
  async (message: CallbackMessage): Promise<CallbackOutcome> => {
    const { logger, metrics } = observability;
    const outcome = await deliver(message);
    const context = {
      ...callbackContext(message.detail),
      receiveCount: message.receiveCount,
      outcome,
    };
    metrics.addMetric(metricOf[outcome.kind], MetricUnit.Count, 1);
    if (outcome.kind === 'skipped' && outcome.reason === 'UNKNOWN_DECISION') {
      metrics.addMetric('UnknownDecisions', MetricUnit.Count, 1);
      logger.error(
        'refused a TransactionDecided event for a decision the TransactionLog does not hold',
        context,
      );
    } else if (outcome.kind === 'refused')
      logger.error(
        'callback refused: the delivery fails for good, replayable once the configuration is fixed',
        context,
      );
    else if (outcome.kind === 'failed')
      logger.warn('callback not delivered; it will be retried on the schedule', context);
    else logger.info(`callback ${outcome.kind}`, context);
    if ((outcome.kind === 'failed' || outcome.kind === 'refused') && outcome.deadLettered) {
      metrics.addMetric('CallbackDeadLettered', MetricUnit.Count, 1);
      logger.error(
        'the last attempt of the schedule failed: the delivery is listed for `creditline webhook replay`',
        context,
      );
    }
    return outcome;
  };
