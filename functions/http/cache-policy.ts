import { type RouteDefinition, requiredScope } from './routes.js';

/**
 * The one cache policy of the API: which answers a shared cache (CloudFront, a newsroom's
 * proxy) may keep, and for how long. Controllers name what kind of answer they give; this
 * module alone turns that into Cache-Control, so the Lambdas, the local server and the CDN's
 * cache policies (lib/talks-cdn.ts) agree.
 *
 * - `live`: changes with the next append (the current status, a history page that reaches the
 *   head, the list, a validAt read that a late report can fill in). 5 s fresh: a burst of
 *   readers costs the origin one request per 5 s per cache, and a reader sees news at most 5 s
 *   late; then 30 s served stale while one request revalidates (the status has an ETag, so that
 *   revalidation is a 304 when nothing landed), and 5 min stale if the origin fails.
 * - `settled`: can never change, because the log is put-only: the status at an existing
 *   version, an asOf the head has moved past, a history page that ends below the head.
 * - `document`: the OpenAPI document and the page's files change only with a deployment.
 * - `notFound`: a 404 may become a 200 when the talks opens: kept briefly.
 * - `never`: writes, the audit, every other error (above all 5xx and 401/403, which must never
 *   be served to the next caller).
 *
 * A read that needs a token (reads not public) is `private`: only the caller's own cache may
 * keep it, so a shared cache whose key ignores Authorization never serves it to another.
 */
export type Freshness = 'live' | 'settled' | 'document' | 'notFound' | 'never';
export type Audience = 'shared' | 'private';

export const cacheSeconds = {
  live: 5,
  liveStale: 30,
  staleIfError: 300,
  /** One year: RFC 9111's customary "forever"; `immutable` spares even a reload's revalidation. */
  settled: 31_536_000,
  document: 300,
  documentStale: 3_600,
  notFound: 10,
} as const;

export function cacheControl(freshness: Freshness, audience: Audience): string {
  if (freshness === 'never') return 'no-store';
  if (audience === 'private') {
    // The caller's own cache only; live answers are revalidated every time (ETag: 304).
    if (freshness === 'settled') return `private, max-age=${cacheSeconds.settled}, immutable`;
    if (freshness === 'notFound') return 'no-store';
    return 'private, no-cache';
  }
  switch (freshness) {
    case 'live':
      return `public, max-age=${cacheSeconds.live}, stale-while-revalidate=${cacheSeconds.liveStale}, stale-if-error=${cacheSeconds.staleIfError}`;
    case 'settled':
      return `public, max-age=${cacheSeconds.settled}, immutable`;
    case 'document':
      return `public, max-age=${cacheSeconds.document}, stale-while-revalidate=${cacheSeconds.documentStale}`;
    case 'notFound':
      return `public, max-age=${cacheSeconds.notFound}`;
  }
}

/** Shared when the route needs no token in this deployment; private otherwise. */
export const audienceOf = (route: Pick<RouteDefinition, 'access'>, readsArePublic: boolean): Audience =>
  requiredScope(route, readsArePublic) === undefined ? 'shared' : 'private';

/**
 * A history page is settled when it ends below the head: `nextAfter` is set only when the
 * store saw an event past the page (or examined past it, for a type filter), and events
 * are never rewritten, so the same query always returns the same page. A page that reaches
 * the head gains events with the next append.
 */
export const historyPageFreshness = (page: { nextAfter: number | null }): Freshness => (page.nextAfter === null ? 'live' : 'settled');

/**
 * What the store knew at `asOf` is settled once the head has moved past it: the answer
 * stops short of the head, so the next version was recorded after `asOf`, and versions
 * are recorded in non-decreasing time. An answer that is the head itself is live: the next
 * append may be recorded at that very millisecond (recordedAt never decreases, it may repeat).
 */
export const asOfFreshness = (answerVersion: number, headVersion: number | undefined): Freshness =>
  headVersion !== undefined && answerVersion < headVersion ? 'settled' : 'live';
