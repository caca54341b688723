import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, type JSONWebKeySet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  acceptedAlgorithms,
  createJwtAuthorizer,
  futureIatLeewaySeconds,
  type JwtAuthorizer,
} from '../../functions/http/jwt-authorizer.js';
import { httpEvent } from '../../harness/http-event.js';

/**
 * The local verifier against tokens an identity provider could send, each rule as API
 * Gateway's JWT authorizer applies it. The key set holds an RSA and an EC key, each with
 * its kid, so an ES256 token is refused for its algorithm and not for want of a key.
 */
const issuer = 'https://idp.example.org/';
const audience = ['talks-api'];
// Node key objects, unlike WebCrypto keys, sign with any algorithm of their family (RS384, PS256...).
type Key = KeyObject;
let rsa: { key: Key; kid: string };
let ec: { key: Key; kid: string };
let jwks: JSONWebKeySet;
let authorizer: JwtAuthorizer;
const now = () => Math.floor(Date.now() / 1000);

async function keyPair(alg: 'RS256' | 'ES256') {
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  // No `alg` on the RSA key: jose would then match it to RS256 tokens only, and RS384/RS512 are tried too.
  return { key: privateKey, kid, jwk: { ...jwk, kid, ...(alg === 'ES256' ? { alg } : {}) } };
}

beforeAll(async () => {
  const r = await keyPair('RS256');
  const e = await keyPair('ES256');
  rsa = { key: r.key, kid: r.kid };
  ec = { key: e.key, kid: e.kid };
  jwks = { keys: [r.jwk, e.jwk] };
  authorizer = createJwtAuthorizer({ issuer, audience, keys: createLocalJWKSet(jwks) });
});

/** A well-formed access token, changed by `claims` (undefined removes a claim) and `header`. */
async function token(
  claims: Record<string, unknown> = {},
  header: { alg?: string; kid?: string | null } = {},
  key: { key: Key; kid: string } = rsa,
): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: issuer,
    sub: 'newsroom-pipeline',
    aud: 'talks-api',
    scope: 'talks/write',
    iat: now(),
    exp: now() + 300,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const kid = header.kid === undefined ? key.kid : header.kid;
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg: header.alg ?? 'RS256', ...(kid === null ? {} : { kid }) })
    .sign(key.key);
}

const refusal = async (jwt: string) => {
  try {
    await authorizer.verify(jwt);
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('the local JWT authorizer, rule by rule as API Gateway', () => {
  it('accepts a well-formed RS256 token, with its scopes', async () => {
    const verified = await authorizer.verify(await token());
    expect(verified.payload.sub).toBe('newsroom-pipeline');
    expect(verified.scopes).toEqual(['talks/write']);
    for (const alg of ['RS384', 'RS512']) expect(await refusal(await token({}, { alg }))).toBe('accepted');
  });

  it('refuses ES256 (API Gateway supports only RSA), even with a kid whose key is in the JWKS', async () => {
    const es256 = await token({}, { alg: 'ES256' }, ec);
    // The signature itself is good: only the algorithm rule refuses it.
    await expect(jwtVerify(es256, createLocalJWKSet(jwks))).resolves.toBeDefined();
    expect(await refusal(es256)).toMatch(/ES256.*only RS256/);
    expect(await refusal(await token({}, { alg: 'PS256' }))).toMatch(/PS256/);
    expect(acceptedAlgorithms).toEqual(['RS256', 'RS384', 'RS512']);
  });

  it('refuses a token without kid, which jose alone would accept from a one-key set', async () => {
    const noKid = await token({}, { kid: null });
    const oneKey = createLocalJWKSet({ keys: [jwks.keys[0] as (typeof jwks.keys)[number]] });
    await expect(jwtVerify(noKid, oneKey)).resolves.toBeDefined();
    const strict = createJwtAuthorizer({ issuer, audience, keys: oneKey });
    await expect(strict.verify(noKid)).rejects.toThrow(/no kid/);
    expect(await refusal(await token({}, { kid: 'not-in-the-jwks' }))).toMatch(/no applicable key|matching/i);
  });

  it('compares the issuer exactly: a missing trailing slash is another issuer', async () => {
    expect(await refusal(await token({ iss: 'https://idp.example.org' }))).toMatch(/iss/);
    expect(await refusal(await token({ iss: undefined }))).toMatch(/iss/);
  });

  it('takes the audience from aud, or from client_id only when aud is absent', async () => {
    expect(await refusal(await token({ aud: undefined, client_id: 'talks-api' }))).toBe('accepted');
    expect(await refusal(await token({ aud: ['other', 'talks-api'] }))).toBe('accepted');
    expect(await refusal(await token({ aud: undefined }))).toMatch(/audience/);
    expect(await refusal(await token({ aud: undefined, client_id: 'someone-else' }))).toMatch(/audience/);
    // With both, aud decides: a right client_id does not rescue a wrong aud.
    expect(await refusal(await token({ aud: 'someone-else', client_id: 'talks-api' }))).toMatch(/audience/);
  });

  it('reads scopes from scope or scp, as a space-separated string or an array', async () => {
    const scopesOf = async (claims: Record<string, unknown>) => (await authorizer.verify(await token(claims))).scopes;
    expect(await scopesOf({ scope: undefined, scp: 'talks/write talks/read' })).toEqual(['talks/write', 'talks/read']);
    expect(await scopesOf({ scope: undefined, scp: ['talks/audit'] })).toEqual(['talks/audit']);
    expect(await scopesOf({ scope: ['talks/read', 'talks/write'] })).toEqual(['talks/read', 'talks/write']);
    expect(await scopesOf({ scope: 'talks/read', scp: 'talks/audit' })).toEqual(['talks/read', 'talks/audit']);
    expect(await scopesOf({ scope: undefined })).toEqual([]);
  });

  it('refuses a token without exp, expired, or not yet valid', async () => {
    expect(await refusal(await token({ exp: undefined }))).toMatch(/exp/);
    expect(await refusal(await token({ exp: now() - 5 }))).toMatch(/exp/);
    expect(await refusal(await token({ nbf: now() + 120 }))).toMatch(/nbf/);
  });

  it(`refuses an iat more than ${futureIatLeewaySeconds} s in the future, and allows that much clock skew`, async () => {
    expect(await refusal(await token({ iat: now() + 3600, exp: now() + 7200 }))).toMatch(/future/);
    expect(await refusal(await token({ iat: now() + futureIatLeewaySeconds + 5 }))).toMatch(/future/);
    expect(await refusal(await token({ iat: now() + 20 }))).toBe('accepted');
  });

  it('refuses a sub that is not a non-empty string', async () => {
    for (const sub of [{ name: 'mallory' }, ['a'], 42, '']) expect(await refusal(await token({ sub }))).toMatch(/sub/);
    expect(await refusal(await token({ sub: undefined, client_id: 'pipeline' }))).toBe('accepted');
  });

  it('answers 401 with a Bearer challenge for a bad token, 403 naming the scope, and passes claims as API Gateway does', async () => {
    const withToken = (jwt: string) => httpEvent({ method: 'POST', path: '/talks/x/events', headers: { authorization: `Bearer ${jwt}` } });
    const refused = await authorizer.authorize(withToken(await token({ exp: undefined })), 'talks/write');
    expect(refused?.statusCode).toBe(401);
    expect(refused?.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="/);
    const forbidden = await authorizer.authorize(withToken(await token({ scope: 'talks/read' })), 'talks/write');
    expect(forbidden?.statusCode).toBe(403);
    expect(forbidden?.headers['www-authenticate']).toContain('scope="talks/write"');
    const event = withToken(await token({ aud: ['talks-api', 'x'] }));
    expect(await authorizer.authorize(event, 'talks/write')).toBeUndefined();
    const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
    expect(claims.sub).toBe('newsroom-pipeline');
    expect(claims.aud).toBe('[talks-api x]');
    expect(typeof claims.exp).toBe('string');
    expect(event.requestContext.authorizer?.jwt?.scopes).toEqual(['talks/write']);
  });
});
