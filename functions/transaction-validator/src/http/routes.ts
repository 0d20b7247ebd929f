import { apiRoutes, type ApiRouteName } from '@creditline/adapters/definitions';

/**
 * The deployed routes (one list, `@creditline/adapters/definitions`), matched again here on the
 * method and the path the client called: API Gateway only routes what the list has, but the
 * function answers 405 with Allow and forgives a trailing slash on its own.
 */
export type RouteName = ApiRouteName;

export type RouteMatch =
  | {
      readonly kind: 'matched';
      readonly name: RouteName;
      readonly params: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] };

const compiled = apiRoutes.map((route) => ({ ...route, segments: route.path.split('/') }));

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape stays as sent and fails the id's validation like any other bad id.
    return segment;
  }
};

const matchPath = (
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | null => {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index] ?? '';
    const actual = segments[index] ?? '';
    if (expected.startsWith('{')) {
      if (actual === '') return null;
      params[expected.slice(1, -1)] = decodeSegment(actual);
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
};

/**
 * Finds the route for a request. A path that exists under another method is a 405 (with the
 * methods it allows), anything else a 404. One trailing slash is forgiven.
 */
export const matchRoute = (method: string, path: string): RouteMatch => {
  const segments = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).split('/');
  const allow: string[] = [];
  for (const route of compiled) {
    const params = matchPath(route.segments, segments);
    if (params === null) continue;
    if (route.method === method) return { kind: 'matched', name: route.name, params };
    allow.push(route.method);
  }
  return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
};
