import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAudience, localIssuer, type TokenOptions } from '../../bin/local/local-auth.js';
import { assessment, type Fingerprint, fingerprint, opening, startTrustService, type TrustService } from './support/trust-service.js';

/**
 * Over HTTP, the local server refuses and accepts the tokens API Gateway's JWT authorizer
 * refuses and accepts (the claims a token may carry differ by identity provider: Cognito
 * has `client_id` and no `aud`, Okta and Entra put scopes in `scp`), and a refused token
 * writes nothing. Each case was accepted or refused the other way round before.
 */
const talksId = 'token-rules';
let trust: TrustService;
let before: Fingerprint;
const now = () => Math.floor(Date.now() / 1000);

const write = async (token: string, by = 'A mediator') =>
  fetch(`${trust.service.url}/talks/${talksId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(assessment(by)),
  });
const issue = (options: TokenOptions) => trust.service.auth.issueToken({ scopes: ['talks/write'], ...options });

beforeAll(async () => {
  trust = await startTrustService();
  expect((await trust.post(talksId, opening())).status).toBe(201);
});
afterAll(async () => {
  await trust?.service.stop();
});

describe('the development token', () => {
  it('is RS256 with a kid that names the key of the local JWKS', () => {
    const header = decodeProtectedHeader(trust.service.token);
    expect(header.alg).toBe('RS256');
    expect(header.kid).toBe(trust.service.auth.kid);
    expect(trust.service.auth.jwks.keys.map((k) => [k.kty, k.kid])).toEqual([['RSA', header.kid]]);
  });
});

describe('tokens refused with 401, writing nothing', () => {
  beforeAll(async () => {
    before = await fingerprint(trust.store, [talksId]);
  });

  it.each([
    ['no kid', { kid: null }],
    ['a kid the JWKS does not hold', { kid: 'rotated-away' }],
    ['no exp', { expiresIn: null }],
    ['an object sub', { claims: { sub: { name: 'mallory', admin: true } } }],
    ['a numeric sub', { claims: { sub: 42 } }],
    ['an iat an hour ahead', { claims: { iat: now() + 3600 } }],
    ['a nbf ahead', { claims: { nbf: now() + 3600 } }],
    ['no aud and no client_id', { audience: null }],
    ['no aud and another client_id', { audience: null, claims: { client_id: 'someone-else' } }],
    ['a wrong aud despite a right client_id', { audience: 'someone-else', claims: { client_id: localAudience } }],
  ] satisfies [string, TokenOptions][])('%s', async (_, options) => {
    const response = await write(await issue(options));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await fingerprint(trust.store, [talksId])).toEqual(before);
  });

  it('an ES256 token, as the development token was, even with every claim right', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (const kid of [undefined, trust.service.auth.kid]) {
      const es256 = await new SignJWT({ scope: 'talks/write' })
        .setProtectedHeader({ alg: 'ES256', ...(kid === undefined ? {} : { kid }) })
        .setIssuer(localIssuer)
        .setAudience(localAudience)
        .setSubject('local-developer')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      expect((await write(es256)).status).toBe(401);
    }
    expect(await fingerprint(trust.store, [talksId])).toEqual(before);
  });
});

describe('tokens accepted as API Gateway accepts them', () => {
  const recordedBy = async (response: Response) => {
    expect(response.status).toBe(201);
    return ((await response.json()) as { events: { recordedBy: string }[] }).events[0]?.recordedBy;
  };

  it('client_id as the audience when there is no aud (Cognito access tokens), recorded by client_id without sub', async () => {
    const token = await issue({ audience: null, subject: undefined, claims: { client_id: localAudience, sub: undefined } });
    expect(await recordedBy(await write(token, 'Cognito-shaped'))).toBe(localAudience);
  });

  it('scopes in scp, as a string or an array, instead of scope', async () => {
    for (const scp of ['talks/read talks/write', ['talks/write']]) {
      const token = await issue({ subject: 'okta-pipeline', claims: { scope: undefined, scp } });
      expect(decodeJwt(token)).toMatchObject({ scp });
      expect(decodeJwt(token).scope).toBeUndefined();
      expect(await recordedBy(await write(token, `scp ${JSON.stringify(scp)}`))).toBe('okta-pipeline');
    }
  });

  it('an aud list that holds the audience, and an iat a few seconds ahead (clock skew)', async () => {
    const token = await issue({ audience: undefined, claims: { aud: ['other-api', localAudience], iat: now() + 10 } });
    expect(decodeJwt(token).aud).toEqual(['other-api', localAudience]);
    expect(await recordedBy(await write(token, 'skewed clock'))).toBe('local-developer');
  });

  it('the token alone in the Authorization header, without "Bearer " (the identity source takes both)', async () => {
    const response = await fetch(`${trust.service.url}/talks/${talksId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await issue({}) },
      body: JSON.stringify(assessment('bare token')),
    });
    expect(await recordedBy(response)).toBe('local-developer');
  });

  it('a scope in scp only does not satisfy another route: 403 naming it', async () => {
    const token = await issue({ claims: { scope: undefined, scp: 'talks/read' } });
    const response = await write(token);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toContain('talks/write');
  });
});
