import { ForbiddenError, UnauthorizedError } from './http-errors.js';
import type { HttpEvent } from './http-types.js';
import { type RouteDefinition, requiredScope } from './routes.js';

export interface Caller {
  principal: string;
  scopes: ReadonlySet<string>;
}

/** The verified caller, from the JWT authorizer's claims (API Gateway or the local server). */
export function callerOf(event: HttpEvent): Caller | undefined {
  const jwt = event.requestContext.authorizer?.jwt;
  if (jwt === undefined) return undefined;
  const claims = jwt.claims;
  const principal = String(claims.sub ?? claims.client_id ?? '');
  if (principal === '') return undefined;
  const scopeClaim = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  return { principal, scopes: new Set([...(jwt.scopes ?? []), ...scopeClaim].filter((s) => s !== '')) };
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
