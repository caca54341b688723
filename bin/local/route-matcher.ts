import { allRoutes } from '../../functions/http/routes.js';

/** A route of the contract, its id a literal type (the key of its controller). */
export type ContractRoute = (typeof allRoutes)[number];

export interface RouteMatch {
  route: ContractRoute;
  pathParameters: Record<string, string>;
}

type Segment = { literal: string } | { param: string };
const compiled = allRoutes.map((route) => ({
  route: route as ContractRoute,
  segments: route.path
    .split('/')
    .slice(1)
    .map((s): Segment => (s.startsWith('{') ? { param: s.slice(1, -1) } : { literal: s })),
}));

/**
 * Matches a request the way API Gateway does for these routes: literal segments exactly,
 * `{name}` one whole segment (still percent-encoded; the caller decodes).
 * `methodMismatch` tells a 405 from a 404.
 */
export function matchRoute(method: string, path: string): RouteMatch | { methodMismatch: boolean } {
  const parts = path.split('/').slice(1);
  let methodMismatch = false;
  for (const { route, segments } of compiled) {
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = segments.every((segment, i) => {
      const part = parts[i] ?? '';
      if ('literal' in segment) return segment.literal === part;
      params[segment.param] = part;
      return part !== '';
    });
    if (!ok) continue;
    if (route.method !== method) {
      methodMismatch = true;
      continue;
    }
    return { route, pathParameters: params };
  }
  return { methodMismatch };
}

/** The route keys the local server serves, in API Gateway's "METHOD /path" form. */
export const localRouteKeys = (): string[] => compiled.map(({ route }) => `${route.method} ${route.path}`);
