import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { detailTypes } from '@creditline/adapters/definitions';
import { RetryableStoreError } from '@creditline/domain';
import type { ValidatorDependencies } from '../composition.js';
import { metricNames } from '../observability/metric-names.js';
import { reportEventOutcome } from './event-outcome.js';

/**
 * TransactionRequested events: decided like HTTP requests, answered by callback (the decision's
 * stream record). An event that cannot be decided is logged and counted, never thrown: the
 * async retries would bring it back unchanged. An event is a partner's only when its source and
 * the account that put it are both that partner's; anything else is dropped, never decided.
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
    const { source, account, id } = parsed.data;
    const partner_id = deps.identity.ofEvent(source, account);
    if (partner_id === undefined) {
      deps.metrics.addMetric(metricNames.unattributedEvents, MetricUnit.Count, 1);
      deps.logger.error(
        "dropped a TransactionRequested event that is no partner's (source and account must both be one partner's)",
        {
          event_id: id,
          source,
          account,
        },
      );
      return;
    }
    const budget = deps.rateLimits.events.take(partner_id);
    if (!budget.ok) {
      // Thrown, not dropped: Lambda's async retries bring the event back later (then the failure destination).
      deps.metrics.addMetric(metricNames.rateLimited, MetricUnit.Count, 1);
      throw new RetryableStoreError(
        `partner ${partner_id} is over its event rate limit; retry in ${budget.retryAfterSeconds} s`,
        'RATE_LIMITED',
      );
    }
    const outcome = await deps.authorize({
      body: parsed.data.detail,
      partner_id,
      onInvalidAmount: 'reject',
      // The bus's and Lambda's retries can bring an event hours late: its time bounds it.
      event_time: new Date(parsed.data.time),
    });
    reportEventOutcome(outcome, parsed.data, deps.logger);
  };
