import { parse } from '@aws-lambda-powertools/parser';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { errorResponse, type HttpResponse } from '@creditline/adapters/http/api-gateway-response';
import type { ValidatorDependencies } from '../composition.js';
import { createHttpActions, type HttpEvent } from './http-actions.js';
import { failureResponse } from './outcome-response.js';
import { matchRoute } from './routes.js';

/** The path as routed: a named stage (`/prod/v1/...`) is not part of the route. */
const routedPath = ({ rawPath, requestContext: { stage } }: HttpEvent): string =>
  stage !== '$default' && rawPath.startsWith(`/${stage}/`)
    ? rawPath.slice(stage.length + 1)
    : rawPath;

/** HTTP API (payload v2) requests: every answer is a JSON response, never a thrown error. */
export const createHttpHandler = (deps: ValidatorDependencies) => {
  const actions = createHttpActions(deps);
  return async (event: unknown): Promise<HttpResponse> => {
    const parsed = parse(event, undefined, APIGatewayProxyEventV2Schema, true);
    if (!parsed.success) return failureResponse(parsed.error, deps.logger);
    const route = matchRoute(parsed.data.requestContext.http.method, routedPath(parsed.data));
    if (route.kind === 'not-found') return errorResponse('NOT_FOUND', 'no such route');
    if (route.kind === 'method-not-allowed') {
      return errorResponse('METHOD_NOT_ALLOWED', 'method not allowed on this route', {
        headers: { allow: route.allow.join(', ') },
      });
    }
    return actions[route.name](parsed.data, route.params).catch((error: unknown) =>
      failureResponse(error, deps.logger),
    );
  };
};
