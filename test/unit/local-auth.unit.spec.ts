import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalAuth, localAudience, localIssuer } from '../../bin/local/local-auth.js';

/** The local issuer's key: RS256 with a kid, kept 0600 in the data dir, or only in memory. */
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'talks-auth-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const mode = (file: string) => statSync(file).mode & 0o777;

describe('the local issuer', () => {
  it('mints the development token as RS256 with the kid of its JWKS key, every scope, an exp', async () => {
    const auth = await createLocalAuth();
    const token = await auth.issueToken();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: auth.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: localIssuer,
      aud: localAudience,
      sub: 'local-developer',
      scope: 'talks/read talks/write talks/audit talks/subscribe',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(30 * 24 * 3600);
    expect(auth.jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', kid: auth.kid, alg: 'RS256', use: 'sig' })]);
    expect(auth.jwks.keys[0]).not.toHaveProperty('d');
    await expect(auth.verify(token)).resolves.toMatchObject({ sub: 'local-developer' });
  });

  it('keeps its key 0600 in the data dir and signs with the same kid after a restart', async () => {
    const dir = freshDir();
    const first = await createLocalAuth(dir);
    const file = join(dir, 'dev-signing-key.json');
    expect(mode(file)).toBe(0o600);
    const again = await createLocalAuth(dir);
    expect(again.kid).toBe(first.kid);
    await expect(again.verify(await first.issueToken())).resolves.toBeDefined();
    chmodSync(file, 0o644);
    await createLocalAuth(dir);
    expect(mode(file)).toBe(0o600);
  });

  it('without a data dir, keeps its key in memory only: each start has another key', async () => {
    expect((await createLocalAuth()).kid).not.toBe((await createLocalAuth()).kid);
  });

  it('replaces a key from before RS256 (ES256, no kid), whose tokens are refused', async () => {
    const dir = freshDir();
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const file = join(dir, 'dev-signing-key.json');
    writeFileSync(file, JSON.stringify({ privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) }), {
      mode: 0o600,
    });
    const auth = await createLocalAuth(dir);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { privateJwk: { kty: string }; publicJwk: { kid: string } };
    expect(stored.privateJwk.kty).toBe('RSA');
    expect(stored.publicJwk.kid).toBe(auth.kid);
    expect(mode(file)).toBe(0o600);
  });
});
