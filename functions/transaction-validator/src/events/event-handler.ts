import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { detailTypes } from '@creditline/adapters/definitions';
import type { ValidatorDependencies } from '../composition.js';
import { metricNames } from '../observability/metric-names.js';
import { reportEventOutcome } from './event-outcome.js';

/**
 * TransactionRequested events: decided like HTTP requests, answered by callback (the decision's
 * stream record). An event that cannot be decided is logged and counted, never thrown: the
 * async retries would bring it back unchanged.
 */
export const createEventHandler =
  (deps: ValidatorDependencies) =>
  async (event: unknown): Promise<void> => {
    const parsed = parse(event, undefined, EventBridgeSchema, true);
    if (!parsed.success || parsed.data['detail-type'] !== detailTypes.transactionRequested) {
      deps.metrics.addMetric(metricNames.unrecognizedEvents, MetricUnit.Count, 1);
      deps.logger.error(
        'refused an invocation that is neither an HTTP API request nor a TransactionRequested event',
        {
          error: parsed.success ? `detail-type ${parsed.data['detail-type']}` : parsed.error,
        },
      );
      return;
    }
    const partner_id = deps.partners.bySource(parsed.data.source);
    const outcome = await deps.authorize({
      body: parsed.data.detail,
      partner_id,
      onInvalidAmount: 'reject',
      // The bus's and Lambda's retries can bring an event hours late: its time bounds it.
      event_time: new Date(parsed.data.time),
    });
    reportEventOutcome(outcome, parsed.data, deps.logger);
  };
