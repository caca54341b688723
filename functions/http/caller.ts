import { ForbiddenError, UnauthorizedError } from './http-errors.js';
import type { HttpEvent } from './http-types.js';
import { type RouteDefinition, requiredScope } from './routes.js';

export interface Caller {
  principal: string;
  scopes: ReadonlySet<string>;
}

/**
 * A scope claim as it reaches a function: a space-separated string, an array (the local
 * server's jwt.scopes), or API Gateway's rendering of an array claim, `[a b]`.
 */
function scopesIn(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  if (typeof claim !== 'string') return [];
  const bracketed = /^\[(.*)\]$/.exec(claim);
  return (bracketed === null ? claim : (bracketed[1] ?? '')).split(' ');
}

/**
 * The verified caller, from the JWT authorizer's claims (API Gateway or the local server).
 * The principal becomes `recordedBy` on every stored event, so it is taken only from a
 * string `sub` (else a string `client_id`): anything else (an object, a number) means no
 * caller, and a route that needs one answers 401 rather than record `[object Object]`.
 */
export function callerOf(event: HttpEvent): Caller | undefined {
  const jwt = event.requestContext.authorizer?.jwt;
  if (jwt === undefined) return undefined;
  const claims: Record<string, unknown> = jwt.claims;
  const principal = claims.sub !== undefined ? claims.sub : claims.client_id;
  if (typeof principal !== 'string' || principal === '') return undefined;
  const scopes = [...(jwt.scopes ?? []), ...scopesIn(claims.scope), ...scopesIn(claims.scp)];
  return { principal, scopes: new Set(scopes.filter((s) => s !== '')) };
}

/**
 * Checks the route's scope again inside the function: the authorizer already did, but a
 * misconfigured route must fail closed rather than open.
 */
export function authorize(event: HttpEvent, route: Pick<RouteDefinition, 'access'>, readsArePublic: boolean): Caller | undefined {
  const scope = requiredScope(route, readsArePublic);
  const caller = callerOf(event);
  if (scope === undefined) return caller;
  if (caller === undefined) throw new UnauthorizedError('A bearer token is required');
  if (!caller.scopes.has(scope)) throw new ForbiddenError(`The token lacks the scope ${scope}`);
  return caller;
}
