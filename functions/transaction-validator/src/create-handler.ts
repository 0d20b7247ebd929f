import type { HttpResponse } from '@creditline/adapters/http/api-gateway-response';
import type { Context } from 'aws-lambda';
import type { ValidatorDependencies } from './composition.js';
import { createEventHandler } from './events/event-handler.js';
import { createHttpHandler } from './http/http-handler.js';

/** HTTP API payload v2 events carry `version: "2.0"` and a `requestContext`; EventBridge events neither. */
const isHttpApiEvent = (event: unknown): boolean =>
  typeof event === 'object' &&
  event !== null &&
  'requestContext' in event &&
  'version' in event &&
  event.version === '2.0';

/** One function, two entries: the event's shape says which; metrics are flushed after each. */
export const createHandler = (deps: ValidatorDependencies) => {
  const http = createHttpHandler(deps);
  const events = createEventHandler(deps);
  return async (event: unknown, context?: Context): Promise<HttpResponse | undefined> => {
    if (context !== undefined) deps.logger.addContext(context);
    try {
      if (isHttpApiEvent(event)) return await http(event);
      await events(event);
      return undefined;
    } finally {
      if (deps.metrics.hasStoredMetrics()) deps.metrics.publishStoredMetrics();
    }
  };
};
