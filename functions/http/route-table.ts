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

/** What a route may do to each table; the stack turns these into exact IAM actions. */
export type TableAccess = 'none' | 'read' | 'append' | 'readWrite';

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
   * configured to require authentication (then they need `talks/read`).
   */
  readonly access: 'read' | 'write' | 'audit';
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
] as const satisfies readonly RouteDefinition[];

/** The scope a route requires, or undefined when it is public. */
export function requiredScope(
  route: Pick<RouteDefinition, 'access'>,
  readsArePublic: boolean,
): Scope | undefined {
  if (route.access === 'read') return readsArePublic ? undefined : scopes.read;
  return scopes[route.access];
}
