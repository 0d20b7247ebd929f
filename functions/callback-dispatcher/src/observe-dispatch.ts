import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { callbackContext } from './callback-message.js';
import type { DispatchMessage, DispatchOutcome } from './dispatch-callback.js';

/**
 * What an operator must be told about the schedule: an endpoint disabled (410 Gone, or
 * failing for days) and a delivery that failed for good are errors with a metric each (the
 * alarms' inputs); both stay replayable with `creditline webhook replay`.
 */
export const observeDispatch =
  (
    dispatch: (message: DispatchMessage) => Promise<DispatchOutcome>,
    observability: { readonly logger: Logger; readonly metrics: Metrics },
  ) =>
  async (message: DispatchMessage): Promise<DispatchOutcome> => {
    const { logger, metrics } = observability;
    const outcome = await dispatch(message);
    const context = {
      ...callbackContext(message.detail),
      attempt: message.attempt,
      outcome,
    };
    switch (outcome.kind) {
      case 'skipped':
        // Not an error: a partner without monitorCallbackUrl asked for no balance callbacks.
        if (outcome.reason === 'UNKNOWN_PARTNER') {
          metrics.addMetric('CallbackUnknownPartner', MetricUnit.Count, 1);
          logger.error('a balance crossing names a partner that is not configured: not called back', context);
        } else if (outcome.reason === 'NO_MONITOR_CALLBACK_URL') {
          metrics.addMetric('CallbackSkipped', MetricUnit.Count, 1);
          logger.info('balance crossing not called back: the partner has no monitorCallbackUrl', context);
        }
        break;
      case 'unknown-decision':
        metrics.addMetric('UnknownDecisions', MetricUnit.Count, 1);
        logger.error(
          'refused a TransactionDecided event for a decision the TransactionLog does not hold',
          context,
        );
        break;
      case 'deferred':
        metrics.addMetric('CallbackDeferred', MetricUnit.Count, 1);
        logger.info(`callback deferred (${outcome.reason})`, context);
        break;
      case 'attempted':
        if (outcome.endpointDisabled !== undefined) {
          metrics.addMetric('WebhookEndpointDisabled', MetricUnit.Count, 1);
          logger.error(
            'webhook endpoint disabled: its deliveries stop until an operator replays them',
            {
              ...context,
              ...('callback_url' in message.detail ? { callback_url: message.detail.callback_url } : {}),
              reason: outcome.endpointDisabled,
            },
          );
        }
        if (outcome.state === 'FAILED') {
          metrics.addMetric('CallbackFailedForGood', MetricUnit.Count, 1);
          logger.error('callback failed for good: listed for `creditline webhook replay`', context);
        }
        break;
      default:
        break;
    }
    return outcome;
  };
