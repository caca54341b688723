import { authorize, type Caller } from './caller.js';
import type { HttpSettings } from './http-settings.js';
import type { HttpEvent, HttpResponse } from './http-types.js';
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
    let response: HttpResponse;
    try {
      const caller = authorize(event, route, runtime.readsArePublic);
      response = await logic(event, caller);
    } catch (error) {
      response = errorResponse(error, runtime.log);
    }
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

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export const etagOf = (version: number) => `"${version}"`;
