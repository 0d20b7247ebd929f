import { parse } from '@aws-lambda-powertools/parser';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { errorResponse, type HttpResponse } from '@creditline/adapters/http/api-gateway-response';
import type { ValidatorDependencies } from '../composition.js';
import { createHttpActions, type HttpEvent } from './http-actions.js';
import { failureResponse } from './outcome-response.js';
import { metricNames } from '../observability/metric-names.js';
import { matchRoute } from './routes.js';

/** The path as routed: a named stage (`/prod/v1/...`) is not part of the route. */
const routedPath = ({ rawPath, requestContext: { stage } }: HttpEvent): string =>
  stage !== '$default' && rawPath.startsWith(`/${stage}/`)
    ? rawPath.slice(stage.length + 1)
    : rawPath;

/**
 * HTTP API (payload v2) requests: every answer is a JSON response, never a thrown error. The
 * caller is attributed first, on every route: a principal no partner owns learns nothing more
 * than 403 (not even whether the route exists); a partner over its rate limit gets 429.
 */
export const createHttpHandler = (deps: ValidatorDependencies) => {
  const actions = createHttpActions(deps);
  return async (event: unknown): Promise<HttpResponse> => {
    const parsed = parse(event, undefined, APIGatewayProxyEventV2Schema, true);
    if (!parsed.success) return failureResponse(parsed.error, deps.logger);
    const attribution = deps.identity.ofHttpCaller(parsed.data.requestContext.authorizer?.iam);
    if (!attribution.ok) {
      deps.metrics.addMetric(metricNames.unknownPrincipals, MetricUnit.Count, 1);
      deps.logger.warn('refused a request from a principal no partner owns', {
        reason: attribution.reason,
        user_arn: parsed.data.requestContext.authorizer?.iam?.userArn,
      });
      return errorResponse('UNKNOWN_PRINCIPAL', 'the caller is not a creditline partner');
    }
    const { partnerId } = attribution;
    const budget = deps.rateLimits.http.take(partnerId);
    if (!budget.ok) {
      deps.metrics.addMetric(metricNames.rateLimited, MetricUnit.Count, 1);
      return errorResponse('RATE_LIMITED', 'too many requests: slow down', {
        headers: { 'retry-after': String(budget.retryAfterSeconds) },
      });
    }
    const route = matchRoute(parsed.data.requestContext.http.method, routedPath(parsed.data));
    if (route.kind === 'not-found') return errorResponse('NOT_FOUND', 'no such route');
    if (route.kind === 'method-not-allowed') {
      return errorResponse('METHOD_NOT_ALLOWED', 'method not allowed on this route', {
        headers: { allow: route.allow.join(', ') },
      });
    }
    return actions[route.name](parsed.data, route.params, partnerId).catch((error: unknown) =>
      failureResponse(error, deps.logger),
    );
  };
};
