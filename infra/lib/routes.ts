import type { ApiMethod } from '@creditline/adapters/definitions';

/**
 * The HTTP API's routes come from the one list the functions and the local runtime use
 * (`@creditline/adapters/definitions`); all are served by the TransactionValidator and all are
 * behind IAM (SigV4) authorization: a partner calls them with the role creditline creates for it.
 */
export { apiRoutes, routeKey } from '@creditline/adapters/definitions';

export interface ApiRoute {
  readonly method: ApiMethod;
  readonly path: string;
}

/** `GET /v1/users/{id}/balance` → `get-v1-users-id-balance`, a resource name. */
export const routeSlug = (route: ApiRoute): string =>
  `${route.method}${route.path}`
    .toLowerCase()
    .replace(/[{}]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-+$/, '');

/** The execute-api ARN of a route: path parameters become `*`. */
export const routeArn = (executionArn: string, stage: string, route: ApiRoute): string =>
  `${executionArn}/${stage}/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`;

/** Fields of one access log line (JSON), from API Gateway's $context. */
export const accessLogFormat = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
});
