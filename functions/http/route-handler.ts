import { audienceOf, cacheControl } from './cache-policy.js';
import { authorize, type Caller } from './caller.js';
import type { HttpSettings } from './http-settings.js';
import type { HttpEvent, HttpResponse } from './http-types.js';
import { originRefusal } from './origin-guard.js';
import { errorResponse } from './problem.js';
import type { RouteDefinition } from './routes.js';

export type RouteLogic = (event: HttpEvent, caller: Caller | undefined) => Promise<HttpResponse>;

/**
 * Wraps a controller's logic as an API Gateway handler: authorization, error mapping and one log
 * line per request. Every handler uses this and nothing else to instrument itself.
 */
export function routeHandler(route: RouteDefinition, runtime: HttpSettings, logic: RouteLogic) {
  return async (event: HttpEvent): Promise<HttpResponse> => {
    const started = Date.now();
    const refused = originRefusal(event, runtime.originSecret);
    if (refused !== undefined) return refused;
    let response: HttpResponse;
    try {
      const caller = authorize(event, route, runtime.readsArePublic);
      response = await logic(event, caller);
    } catch (error) {
      response = errorResponse(error, runtime.log);
    }
    response = withCachePolicy(route, runtime.readsArePublic, response);
    if (response.statusCode >= 500) {
      runtime.log({
        level: 'WARN',
        route: route.id,
        status: response.statusCode,
        ms: Date.now() - started,
        requestId: event.requestContext.requestId,
      });
    }
    return response;
  };
}

/**
 * What the route handler adds to the controllers' own cache headers: a write is never
 * stored, and a read's 404 is kept briefly (the talks may open); every other error keeps
 * the no-store of problem+json.
 */
function withCachePolicy(route: RouteDefinition, readsArePublic: boolean, response: HttpResponse): HttpResponse {
  if (route.method !== 'GET') return { ...response, headers: { ...response.headers, 'cache-control': cacheControl('never', 'private') } };
  if (response.statusCode === 404)
    return { ...response, headers: { ...response.headers, 'cache-control': cacheControl('notFound', audienceOf(route, readsArePublic)) } };
  return response;
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export const etagOf = (version: number) => `"${version}"`;
