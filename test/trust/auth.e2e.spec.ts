import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../bin/local/local-auth.js';
import { type RouteDefinition, requiredScope, routeTable, scopes } from '../../functions/http/routes.js';
import { assessment, type Fingerprint, fingerprint, opening, startTrustService, type TrustService } from './support/trust-service.js';

/**
 * Who may do what, over HTTP, with reads configured to need a token. The cases are built
 * from the route table, so a route added there (the audit route, say) is covered here
 * without a change: every route that needs a scope refuses every bad token with 401, a
 * good token without the scope with 403, and nothing is written by a refused request.
 */
const readsPublic = false;
const talksId = 'auth-talks';
const routes: readonly RouteDefinition[] = routeTable;
const guarded = routes.filter((route) => requiredScope(route, readsPublic) !== undefined);
let trust: TrustService;
let stored: Fingerprint;
const tokens: Record<string, string> = {};

// A well-formed id nobody holds: with the scope, the subscription routes answer 404, not 401/403.
const unknownSubscription = 'sub_00000000-0000-4000-8000-000000000000';
const isSubscriptions = (route: RouteDefinition) => route.path.startsWith('/subscriptions');
/** The routes that answer only with their query parameters (a proof between two sizes). */
const requiredQuery: Record<string, string> = {
  GetInclusionProof: '?version=1&treeSize=1',
  GetConsistencyProof: '?from=1&to=1',
};

const call = (route: RouteDefinition, token: string | undefined, scheme = 'Bearer') =>
  fetch(
    `${trust.service.url}${route.path.replace('{talksId}', talksId).replace('{subscriptionId}', unknownSubscription)}${requiredQuery[route.id] ?? ''}`,
    {
      method: route.method,
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `${scheme} ${token}` }) },
      ...(route.method === 'POST'
        ? {
            body: JSON.stringify(
              // A public address written as an IP (no DNS), for a talks that never changes: nothing is sent.
              isSubscriptions(route) ? { url: 'https://93.184.215.14/hook', talksIds: ['auth-quiet'] } : assessment('An intruder'),
            ),
          }
        : {}),
    },
  );
/** What a token with the route's scope gets. */
const servedStatus = (route: RouteDefinition) => (route.method === 'POST' ? 201 : route.path.includes('{subscriptionId}') ? 404 : 200);

beforeAll(async () => {
  trust = await startTrustService({ readsPublic });
  const auth = trust.service.auth;
  const good = trust.service.token;
  const [header = '', payload = '', signature = ''] = good.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url');
  Object.assign(tokens, {
    expired: await auth.issueToken({ expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    'wrong issuer': await auth.issueToken({ issuer: 'https://evil.example' }),
    'wrong audience': await auth.issueToken({ audience: 'someone-else' }),
    'bad signature': `${header}.${payload}.${signature.slice(0, -6)}${signature.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`,
    'payload changed after signing': `${header}.${forgedPayload}.${signature}`,
    'another key': await (await createLocalAuth()).issueToken(),
    'alg none': `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`,
    'not a JWT': 'not-a-jwt',
  });
  expect((await trust.post(talksId, opening())).status).toBe(201);
  stored = await fingerprint(trust.store, [talksId]);
});
afterAll(async () => {
  await trust?.service.stop();
});

describe.each(guarded.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_, route) => {
  const scope = requiredScope(route, readsPublic) as string;

  it('refuses no token and every invalid token with 401, writing nothing', async () => {
    const cases: [string, string | undefined, string?][] = [
      ['no token', undefined],
      ['empty bearer', ''],
      ['basic scheme', 'dXNlcjpwYXNz', 'Basic'],
      ...Object.entries(tokens),
    ];
    for (const [name, token, scheme] of cases) {
      const response = await call(route, token, scheme);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect(await fingerprint(trust.store, [talksId])).toEqual(stored);
  });

  it(`refuses a valid token without ${scope} with 403 naming the scope, writing nothing`, async () => {
    const others = Object.values(scopes).filter((s) => s !== scope);
    for (const granted of [[], others]) {
      const response = await call(route, await trust.service.auth.issueToken({ scopes: granted }));
      expect({ granted, status: response.status }).toEqual({ granted, status: 403 });
      expect(((await response.json()) as { detail: string }).detail).toContain(scope);
    }
    expect(await fingerprint(trust.store, [talksId])).toEqual(stored);
  });

  it(`serves a token with only ${scope}`, async () => {
    const response = await call(route, await trust.service.auth.issueToken({ scopes: [scope] }));
    expect(response.status).toBe(servedStatus(route));
    stored = await fingerprint(trust.store, [talksId]);
  });
});

describe('the routes that need no token', () => {
  it('are exactly the public ones, and answer without any Authorization', async () => {
    const open = routes.filter((route) => requiredScope(route, readsPublic) === undefined);
    expect(open.every((route) => route.access === 'public' && route.method === 'GET')).toBe(true);
    for (const route of open) expect((await call(route, undefined)).status).toBe(200);
  });

  it('include no write and no audit route whatever the read setting', () => {
    for (const setting of [true, false]) {
      for (const route of routes.filter((r) => r.access === 'write' || r.access === 'audit')) {
        expect(requiredScope(route, setting)).toBe(scopes[route.access as 'write' | 'audit']);
      }
    }
    expect(guarded.map((r) => r.access)).toEqual(expect.arrayContaining(['write', 'audit', 'read']));
  });
});
