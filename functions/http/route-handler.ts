import { audienceOf, cacheControl } from './cache-policy.js';
import { authorize, type Caller, callerOf } from './caller.js';
import type { HttpSettings, Log } from './http-settings.js';
import type { HttpEvent, HttpResponse } from './http-types.js';
import { metricNames } from './metric-names.js';
import { originRefusal } from './origin-guard.js';
import { errorResponse, problemSlugOf } from './problem.js';
import {
  correlationFields,
  type InvocationContext,
  MetricCounts,
  metricsDocument,
  type RequestMetrics,
  type RequestRecord,
  requestLogEntry,
} from './request-telemetry.js';
import type { RouteDefinition } from './routes.js';

/** A controller's logic; `metrics` takes what only it knows (what an append stored). */
export type RouteLogic = (event: HttpEvent, caller: Caller | undefined, metrics: RequestMetrics) => Promise<HttpResponse>;

/** Counts every answer earns by its status and problem type, whatever the route. */
function countOutcome(metrics: RequestMetrics, status: number, problem: string | undefined): void {
  if (problem !== undefined) metrics.count(metricNames.refusals, 1);
  if (status === 409) metrics.count(metricNames.conflicts, 1);
  if (status >= 500) metrics.count(metricNames.serverErrors, 1);
}

/**
 * Wraps a controller's logic as an API Gateway handler: authorization, error mapping, one
 * JSON log line per request and its metrics (EMF). Every handler uses this and nothing else
 * to instrument itself; the local server calls the same handlers, so it logs the same lines.
 */
export function routeHandler(route: RouteDefinition, runtime: HttpSettings, logic: RouteLogic) {
  let coldStart = true;
  return async (event: HttpEvent, invocation?: InvocationContext): Promise<HttpResponse> => {
    const started = Date.now();
    const correlation = { correlationId: event.requestContext.requestId, invocation };
    // Error lines (with their stack) carry the request's correlation id too.
    const log: Log = (entry) => runtime.log({ ...correlationFields(correlation), ...entry });
    const metrics = new MetricCounts();
    // Only CloudFront knows the origin's secret: a call around the CDN is refused (AWS only).
    const refused = originRefusal(event, runtime.originSecret);
    if (refused !== undefined) return refused;
    let response: HttpResponse;
    try {
      const caller = authorize(event, route, runtime.readsArePublic);
      response = await logic(event, caller, metrics);
    } catch (error) {
      response = errorResponse(error, log);
    }
    // Read before the cache policy copies the response: the slug is kept beside the original.
    const problem = problemSlugOf(response);
    response = withCachePolicy(route, runtime.readsArePublic, response);
    countOutcome(metrics, response.statusCode, problem);
    const record: RequestRecord = {
      ...correlation,
      route,
      status: response.statusCode,
      problem,
      latencyMs: Date.now() - started,
      // Who, as the authorizer verified it (also on a 403); never the token itself.
      principal: callerOf(event)?.principal,
      coldStart,
    };
    coldStart = false;
    runtime.log(requestLogEntry(record));
    const document = metricsDocument(record, metrics.counts, runtime.now());
    if (document !== undefined) runtime.log(document);
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
