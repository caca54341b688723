import {
  appendEventsRoute,
  auditTalksRoute,
  createSubscriptionRoute,
  deleteSubscriptionRoute,
  getCheckpointRoute,
  getConsistencyProofRoute,
  getHistoryRoute,
  getInclusionProofRoute,
  getJwksRoute,
  getOpenApiRoute,
  getStatusRoute,
  listDeliveriesRoute,
  listTalksRoute,
  pageRoutes,
  type RouteDefinition,
  type RouteId,
} from '../functions/http/routes.js';

/**
 * What a function may do to each table; the stack turns these into exact IAM actions.
 * `scan` (read plus Scan) is for the rebuild job only, which lists every talks; `scanAppend`
 * adds PutItem, for the same job's event-id aliases (put if absent, see event-id-aliases.ts).
 */
export type TableAccess = 'none' | 'read' | 'scan' | 'scanAppend' | 'append' | 'readWrite';

/** What the stack needs to deploy one function of ours: a route's, the page's or a job's. */
export interface FunctionSpec {
  /** Names the function in the stack. */
  readonly id: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** `feed`: the Feed table (checkpoints, subscriptions, deliveries); none when absent. */
  readonly tables: { readonly events: TableAccess; readonly state: TableAccess; readonly feed?: TableAccess };
  readonly timeoutSeconds?: number;
  /**
   * What it may do with the checkpoint key (KMS): `sign` (kms:Sign and kms:GetPublicKey),
   * `publicKey` (kms:GetPublicKey only: publishing or checking signatures). None otherwise.
   */
  readonly checkpointKey?: 'sign' | 'publicKey';
  /** A directory copied next to the bundle, where the handler reads it at run time. */
  readonly files?: string;
  /** The routes of the HTTP contract it serves; none for a job invoked directly. */
  readonly routes: readonly RouteDefinition[];
}

/** An API route's function: named after the route, described by its method and path. */
const servesRoute = <const R extends RouteDefinition & { id: RouteId }>(
  route: R,
  deployment: Pick<FunctionSpec, 'entry' | 'tables' | 'checkpointKey'>,
): FunctionSpec & { id: R['id']; routes: readonly [R] } => ({
  id: route.id,
  description: `${route.method} ${route.path}`,
  ...deployment,
  routes: [route],
});

/** The deployment: every function, the entry it is bundled from and what it may touch. */
export const functionSpecs = [
  servesRoute(appendEventsRoute, {
    entry: 'functions/handlers/append-events.ts',
    tables: { events: 'append', state: 'readWrite' },
    checkpointKey: 'sign',
  }),
  servesRoute(listTalksRoute, { entry: 'functions/handlers/list-talks.ts', tables: { events: 'none', state: 'read' } }),
  servesRoute(getStatusRoute, { entry: 'functions/handlers/get-status.ts', tables: { events: 'read', state: 'read' } }),
  servesRoute(getHistoryRoute, { entry: 'functions/handlers/get-history.ts', tables: { events: 'read', state: 'read' } }),
  servesRoute(auditTalksRoute, {
    entry: 'functions/handlers/audit-talks.ts',
    tables: { events: 'read', state: 'read' },
    checkpointKey: 'publicKey',
  }),
  servesRoute(getCheckpointRoute, { entry: 'functions/handlers/get-checkpoint.ts', tables: { events: 'read', state: 'read' } }),
  servesRoute(getJwksRoute, {
    entry: 'functions/handlers/get-jwks.ts',
    tables: { events: 'none', state: 'none' },
    checkpointKey: 'publicKey',
  }),
  servesRoute(getInclusionProofRoute, { entry: 'functions/handlers/get-inclusion-proof.ts', tables: { events: 'read', state: 'read' } }),
  servesRoute(getConsistencyProofRoute, {
    entry: 'functions/handlers/get-consistency-proof.ts',
    tables: { events: 'read', state: 'read' },
  }),
  servesRoute(getOpenApiRoute, { entry: 'functions/handlers/get-openapi.ts', tables: { events: 'none', state: 'none' } }),
  servesRoute(createSubscriptionRoute, {
    entry: 'functions/handlers/create-subscription.ts',
    tables: { events: 'none', state: 'none', feed: 'readWrite' },
  }),
  servesRoute(listDeliveriesRoute, {
    entry: 'functions/handlers/list-deliveries.ts',
    tables: { events: 'none', state: 'none', feed: 'read' },
  }),
  servesRoute(deleteSubscriptionRoute, {
    entry: 'functions/handlers/delete-subscription.ts',
    tables: { events: 'none', state: 'none', feed: 'readWrite' },
  }),
  {
    id: 'StatusPage',
    entry: 'functions/handlers/status-page.ts',
    description: 'Serves the status page (web/)',
    tables: { events: 'none', state: 'none' },
    files: 'web',
    routes: pageRoutes,
  },
  {
    id: 'RebuildStatus',
    entry: 'functions/handlers/rebuild-status.ts',
    description: 'Rebuilds status items and snapshots from the event log (resumable)',
    tables: { events: 'scanAppend', state: 'readWrite' },
    // It builds the trees of talks stored before trees and signs their heads.
    checkpointKey: 'sign',
    // A rebuild of many talks is long; it resumes from its checkpoint if cut short.
    timeoutSeconds: 900,
    routes: [],
  },
  // The feed (lib/talks-feed.ts wires their triggers): neither is behind the API.
  {
    id: 'FeedConsumer',
    entry: 'functions/handlers/feed-consumer.ts',
    description: 'Consumes the Events stream: checkpoints per talks, catch-up from the log, EventBridge and webhook queue',
    // Reads the log (catch-up) and snapshots (a revision's summary); the stream itself is granted by its event source.
    tables: { events: 'read', state: 'read', feed: 'readWrite' },
    // A catch-up after a long outage reads many events; it checkpoints as it goes.
    timeoutSeconds: 300,
    routes: [],
  },
  {
    id: 'WebhookDispatcher',
    entry: 'functions/handlers/webhook-dispatcher.ts',
    description: 'Sends signed webhook deliveries from the FIFO queue, retries with backoff, dead-letters after the bound',
    tables: { events: 'none', state: 'none', feed: 'readWrite' },
    // A receiver has 10 s to answer; a batch holds up to 10 deliveries.
    timeoutSeconds: 120,
    routes: [],
  },
  {
    id: 'PublishCheckpoints',
    entry: 'functions/handlers/publish-checkpoints.ts',
    description: 'Publishes new checkpoints to the Object Lock bucket after a witness check (scheduled)',
    tables: { events: 'read', state: 'read' },
    checkpointKey: 'publicKey',
    timeoutSeconds: 300,
    routes: [],
  },
] as const satisfies readonly FunctionSpec[];

/**
 * The live updates' two functions (lib/talks-live.ts deploys them with the WebSocket API and
 * grants their connections table itself), here so that the bench measures their bundles too.
 */
export const liveFunctionSpecs = {
  routes: {
    id: 'LiveRoutes',
    entry: 'functions/handlers/live-routes.ts',
    description: 'WebSocket API: $connect (token as for reads), subscribe, unsubscribe, ping, $disconnect',
    tables: { events: 'none', state: 'none' },
    routes: [],
  },
  fanout: {
    id: 'LiveFanout',
    entry: 'functions/handlers/live-fanout.ts',
    description: 'Posts each change of the feed to the WebSocket connections following its talks',
    tables: { events: 'none', state: 'none' },
    timeoutSeconds: 60,
    routes: [],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionId = (typeof functionSpecs)[number]['id'];

/** Functions invoked directly rather than through the API. */
export const jobSpecs: readonly FunctionSpec[] = functionSpecs.filter((spec) => spec.routes.length === 0);

/** The function that serves a route; every route of the contract has exactly one. */
export function functionServing(route: Pick<RouteDefinition, 'id'>): FunctionSpec {
  const serving = functionSpecs.filter((spec: FunctionSpec) => spec.routes.some((r) => r.id === route.id));
  if (serving.length !== 1) throw new Error(`Route ${route.id} is served by ${serving.length} functions, not one`);
  return serving[0] as FunctionSpec;
}
