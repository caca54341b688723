import { describe, expect, it } from 'vitest';
import { authorize, callerOf } from '../../functions/http/caller.js';
import { UnauthorizedError } from '../../functions/http/http-errors.js';
import type { HttpEvent } from '../../functions/http/http-types.js';
import { appendEventsRoute } from '../../functions/http/routes.js';
import { httpEvent } from '../../harness/http-event.js';

/**
 * The principal a handler records as `recordedBy` comes from the authorizer's claims. Only
 * a string can be one: a claim of another JSON type (which no authorizer should let
 * through) makes no caller, so a route that needs one answers 401 instead of storing
 * "[object Object]" as the author of an event forever.
 */
const withClaims = (claims: Record<string, unknown>, scopes: string[] | null = ['talks/write']): HttpEvent => {
  const event = httpEvent({ method: 'POST', path: '/talks/x/events' });
  event.requestContext.authorizer = { jwt: { claims: claims as Record<string, string>, scopes } };
  return event;
};
const append = appendEventsRoute;

describe('callerOf', () => {
  it('takes the principal from a string sub, else a string client_id', () => {
    expect(callerOf(withClaims({ sub: 'pipeline', client_id: 'app' }))?.principal).toBe('pipeline');
    expect(callerOf(withClaims({ client_id: 'app' }))?.principal).toBe('app');
  });

  it('fails closed on a sub that is not a string, and never falls back to client_id then', () => {
    for (const sub of [{ name: 'mallory' }, ['a'], 42, true, null, '']) {
      const event = withClaims({ sub, client_id: 'app' });
      expect(callerOf(event), JSON.stringify(sub)).toBeUndefined();
      expect(() => authorize(event, append, true)).toThrow(UnauthorizedError);
    }
    expect(callerOf(withClaims({ client_id: { id: 'x' } }))).toBeUndefined();
  });

  it('reads scopes from jwt.scopes, scope and scp, in the forms API Gateway passes them', () => {
    const scopes = (claims: Record<string, unknown>, list: string[] | null = null) => [
      ...(callerOf(withClaims(claims, list))?.scopes ?? []),
    ];
    expect(scopes({ sub: 's', scope: 'talks/read talks/write' })).toEqual(['talks/read', 'talks/write']);
    expect(scopes({ sub: 's', scp: '[talks/audit talks/read]' })).toEqual(['talks/audit', 'talks/read']);
    expect(scopes({ sub: 's', scp: ['talks/write'] })).toEqual(['talks/write']);
    expect(scopes({ sub: 's' }, ['talks/write'])).toEqual(['talks/write']);
  });
});
