/**
 * The HTTP contract: every route's method, path and access. How each is deployed (entry
 * file, table access, timeout) is lib/function-specs.ts; which controller serves it is
 * functions/controllers/index.ts. Infra tests prove the stack, the local server and these
 * agree.
 */
export const scopes = {
  read: 'talks/read',
  write: 'talks/write',
  audit: 'talks/audit',
  /** Webhook subscriptions: create, list their deliveries, delete. */
  subscribe: 'talks/subscribe',
} as const;

export type Scope = (typeof scopes)[keyof typeof scopes];

export interface RouteDefinition {
  /** Stable id: names the route in the stack (and, for an API route, its function). */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway path syntax: `{name}` for a path parameter. */
  readonly path: string;
  /**
   * Scope the caller's token must carry. `read` routes are public unless reads are
   * configured to require authentication (then they need `talks/read`); `public` routes
   * (the API's own description, the page's files) are public whatever that setting says.
   */
  readonly access: 'public' | 'read' | 'write' | 'audit' | 'subscribe';
}

export const appendEventsRoute = { id: 'AppendEvents', method: 'POST', path: '/talks/{talksId}/events', access: 'write' } as const;
export const listTalksRoute = { id: 'ListTalks', method: 'GET', path: '/talks', access: 'read' } as const;
export const getStatusRoute = { id: 'GetStatus', method: 'GET', path: '/talks/{talksId}', access: 'read' } as const;
export const getHistoryRoute = { id: 'GetHistory', method: 'GET', path: '/talks/{talksId}/events', access: 'read' } as const;
export const auditTalksRoute = { id: 'AuditTalks', method: 'GET', path: '/talks/{talksId}/audit', access: 'audit' } as const;
// The verifiable log (issue 12): read routes like the status, public unless reads need a token.
export const getCheckpointRoute = { id: 'GetCheckpoint', method: 'GET', path: '/talks/{talksId}/checkpoint', access: 'read' } as const;
export const getJwksRoute = { id: 'GetJwks', method: 'GET', path: '/.well-known/jwks.json', access: 'read' } as const;
export const getInclusionProofRoute = {
  id: 'GetInclusionProof',
  method: 'GET',
  path: '/talks/{talksId}/proofs/inclusion',
  access: 'read',
} as const;
export const getConsistencyProofRoute = {
  id: 'GetConsistencyProof',
  method: 'GET',
  path: '/talks/{talksId}/proofs/consistency',
  access: 'read',
} as const;
// A client generator must be able to fetch the contract before it holds a token.
export const getOpenApiRoute = { id: 'GetOpenApi', method: 'GET', path: '/openapi.json', access: 'public' } as const;
// Webhooks (functions/webhooks/): a subscription is seen and ended only by the principal that made it.
export const createSubscriptionRoute = { id: 'CreateSubscription', method: 'POST', path: '/subscriptions', access: 'subscribe' } as const;
export const listDeliveriesRoute = {
  id: 'ListDeliveries',
  method: 'GET',
  path: '/subscriptions/{subscriptionId}/deliveries',
  access: 'subscribe',
} as const;
export const deleteSubscriptionRoute = {
  id: 'DeleteSubscription',
  method: 'DELETE',
  path: '/subscriptions/{subscriptionId}',
  access: 'subscribe',
} as const;

/** The JSON API: the routes the OpenAPI document describes. */
export const routeTable = [
  appendEventsRoute,
  listTalksRoute,
  getStatusRoute,
  getHistoryRoute,
  auditTalksRoute,
  getOpenApiRoute,
  createSubscriptionRoute,
  listDeliveriesRoute,
  deleteSubscriptionRoute,
  getCheckpointRoute,
  getJwksRoute,
  getInclusionProofRoute,
  getConsistencyProofRoute,
] as const satisfies readonly RouteDefinition[];

/**
 * The status page (web/): plain files on the API's own origin, so the page calls the API
 * without CORS, locally and on AWS alike. Public: the files hold no data, and what the page
 * fetches follows the reads setting. Not in the OpenAPI document, which describes the JSON
 * API. The ids are those the stack first deployed the routes under.
 */
export const statusPageRoute = { id: 'StatusPage', method: 'GET', path: '/', access: 'public' } as const;
export const statusPageFileRoute = { id: 'StatusPage1', method: 'GET', path: '/web/{file}', access: 'public' } as const;

export const pageRoutes = [statusPageRoute, statusPageFileRoute] as const satisfies readonly RouteDefinition[];

/** Every route the API serves: the JSON API's and the page's. */
export const allRoutes = [...routeTable, ...pageRoutes] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof routeTable)[number]['id'];
export type AnyRouteId = (typeof allRoutes)[number]['id'];

/** The scope a route requires, or undefined when it is public. */
export function requiredScope(route: Pick<RouteDefinition, 'access'>, readsArePublic: boolean): Scope | undefined {
  if (route.access === 'public') return undefined;
  if (route.access === 'read') return readsArePublic ? undefined : scopes.read;
  return scopes[route.access];
}
