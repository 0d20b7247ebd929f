/**
 * The HTTP API's routes, defined once: `infra/` creates one API Gateway route (and one line of
 * each partner's invoke policy) per entry, the local runtime matches requests against the same
 * list (and builds the same routeKey and pathParameters API Gateway would), the
 * TransactionValidator dispatches on `name`, and the OpenAPI document has one operation each.
 * `{id}` is the path's resource: a transaction_id under /transactions, a user_id under /users.
 */
export const apiRoutes = [
  { name: 'postTransaction', method: 'POST', path: '/v1/transactions' },
  { name: 'getTransaction', method: 'GET', path: '/v1/transactions/{id}' },
  { name: 'listDeliveries', method: 'GET', path: '/v1/transactions/{id}/deliveries' },
  { name: 'getBalance', method: 'GET', path: '/v1/users/{id}/balance' },
  { name: 'getControls', method: 'GET', path: '/v1/users/{id}/controls' },
  { name: 'putControls', method: 'PUT', path: '/v1/users/{id}/controls' },
] as const;

export type ApiRouteName = (typeof apiRoutes)[number]['name'];
export type ApiMethod = (typeof apiRoutes)[number]['method'];

export type ApiRoute = (typeof apiRoutes)[number];

export type RouteKey = ApiRoute extends infer R ? (R extends ApiRoute ? `${R['method']} ${R['path']}` : never) : never;

export function routeKey(route: ApiRoute): RouteKey;
export function routeKey(route: { readonly method: string; readonly path: string }): string;
export function routeKey(route: { readonly method: string; readonly path: string }): string {
  return `${route.method} ${route.path}`;
}

/** API Gateway's matching for the route shapes above: literal segments and `{name}` segments. */
export const matchRoute = (
  method: string,
  path: string,
): { route: ApiRoute; pathParameters: Record<string, string> } | { route: null; pathKnown: boolean } => {
  const segments = path.split('/').filter(Boolean);
  let pathMatched = false;
  for (const route of apiRoutes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matched = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        pathParameters[part.slice(1, -1)] = decodeURIComponent(segment);
        return segment.length > 0;
      }
      return part === segment;
    });
    if (!matched) continue;
    pathMatched = true;
    if (route.method === method) return { route, pathParameters };
  }
  return { route: null, pathKnown: pathMatched };
};
