/**
 * The one definition of every HTTP route. The CDK stack turns each into an API Gateway
 * route backed by its own Lambda function; the local server dispatches to the same
 * handler modules. An infra test proves the two agree.
 */
export const scopes = {
  read: 'talks/read',
  write: 'talks/write',
  audit: 'talks/audit',
} as const;

export type Scope = (typeof scopes)[keyof typeof scopes];

/**
 * What a function may do to each table; the stack turns these into exact IAM actions.
 * `scan` (read plus Scan) is for the rebuild job only, which lists every talks.
 */
export type TableAccess = 'none' | 'read' | 'scan' | 'append' | 'readWrite';

/** What the stack needs to deploy any function of ours, a route's or a job's. */
export interface FunctionSpec {
  readonly id: string;
  readonly entry: string;
  readonly description: string;
  readonly tables: { readonly events: TableAccess; readonly state: TableAccess };
  readonly timeoutSeconds?: number;
}

/** Functions invoked directly rather than through the API. */
export const jobTable = [
  {
    id: 'RebuildStatus',
    entry: 'functions/handlers/rebuild-status.ts',
    description: 'Rebuilds status items and snapshots from the event log (resumable)',
    tables: { events: 'scan', state: 'readWrite' },
    // A rebuild of many talks is long; it resumes from its checkpoint if cut short.
    timeoutSeconds: 900,
  },
] as const satisfies readonly FunctionSpec[];

export interface RouteDefinition {
  /** Stable id: names the Lambda function and the route in the stack. */
  readonly id: string;
  readonly method: 'GET' | 'POST';
  /** API Gateway path syntax: `{name}` for a path parameter. */
  readonly path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /**
   * Scope the caller's token must carry. `read` routes are public unless reads are
   * configured to require authentication (then they need `talks/read`); `public` routes
   * (the API's own description) are public whatever that setting says.
   */
  readonly access: 'public' | 'read' | 'write' | 'audit';
  readonly tables: { readonly events: TableAccess; readonly state: TableAccess };
}

export const routeTable = [
  {
    id: 'AppendEvents',
    method: 'POST',
    path: '/talks/{talksId}/events',
    entry: 'functions/handlers/append-events.ts',
    access: 'write',
    tables: { events: 'append', state: 'readWrite' },
  },
  {
    id: 'ListTalks',
    method: 'GET',
    path: '/talks',
    entry: 'functions/handlers/list-talks.ts',
    access: 'read',
    tables: { events: 'none', state: 'read' },
  },
  {
    id: 'GetStatus',
    method: 'GET',
    path: '/talks/{talksId}',
    entry: 'functions/handlers/get-status.ts',
    access: 'read',
    tables: { events: 'read', state: 'read' },
  },
  {
    id: 'GetHistory',
    method: 'GET',
    path: '/talks/{talksId}/events',
    entry: 'functions/handlers/get-history.ts',
    access: 'read',
    tables: { events: 'read', state: 'read' },
  },
  {
    id: 'AuditTalks',
    method: 'GET',
    path: '/talks/{talksId}/audit',
    entry: 'functions/handlers/audit-talks.ts',
    access: 'audit',
    tables: { events: 'read', state: 'read' },
  },
  {
    id: 'GetOpenApi',
    method: 'GET',
    path: '/openapi.json',
    entry: 'functions/handlers/get-openapi.ts',
    // A client generator must be able to fetch the contract before it holds a token.
    access: 'public',
    tables: { events: 'none', state: 'none' },
  },
] as const satisfies readonly RouteDefinition[];

/**
 * The status page (web/): plain files served by one function on the API's own origin, so
 * the page calls the API without CORS, locally and on AWS alike. Public: the files hold no
 * data, and what the page fetches follows the reads setting. Not in the OpenAPI document,
 * which describes the JSON API.
 */
export const pageTable = [
  {
    id: 'StatusPage',
    entry: 'functions/handlers/status-page.ts',
    description: 'Serves the status page (web/)',
    tables: { events: 'none', state: 'none' },
    /** Copied next to the bundle, where the handler reads them. */
    files: 'web',
    paths: ['/', '/web/{file}'],
  },
] as const satisfies readonly (FunctionSpec & { files: string; paths: readonly string[] })[];

/** The page's routes, one per path, all served by the page's function. */
export const pageRoutes: readonly RouteDefinition[] = pageTable.flatMap((page) =>
  page.paths.map((path, i) => ({
    id: i === 0 ? page.id : `${page.id}${i}`,
    method: 'GET' as const,
    path,
    entry: page.entry,
    access: 'public' as const,
    tables: page.tables,
  })),
);

/** The scope a route requires, or undefined when it is public. */
export function requiredScope(route: Pick<RouteDefinition, 'access'>, readsArePublic: boolean): Scope | undefined {
  if (route.access === 'public') return undefined;
  if (route.access === 'read') return readsArePublic ? undefined : scopes.read;
  return scopes[route.access];
}

export type RouteId = (typeof routeTable)[number]['id'];

/** A route of the table by its id (the ids are literal types: a typo does not compile). */
export function routeById(id: RouteId): RouteDefinition {
  const route = routeTable.find((r) => r.id === id);
  if (route === undefined) throw new Error(`No route ${id}`);
  return route;
}
