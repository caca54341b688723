import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { ecPublicJwk, keyId } from '../../functions/domain/jwks.js';

/** keyId is RFC 7638 written out (no jose in the bundles): it must give jose's thumbprint for every key. */
describe('a checkpoint key id', () => {
  it('is the RFC 7638 SHA-256 thumbprint, as jose computes it', async () => {
    for (let i = 0; i < 50; i += 1) {
      const jwk = ecPublicJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as never);
      expect(await keyId(jwk)).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
    }
  });

  it('does not depend on the order or the extra members of the JWK it is given', async () => {
    const jwk = ecPublicJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as never);
    const reordered = { y: jwk.y, x: jwk.x, kty: jwk.kty, crv: jwk.crv, kid: 'ignored', alg: 'ES256' } as unknown as typeof jwk;
    expect(await keyId(reordered)).toBe(await keyId(jwk));
    expect(await keyId(jwk)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
