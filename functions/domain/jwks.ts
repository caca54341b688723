import { createHash } from 'node:crypto';
import type { JSONWebKeySet, JWK } from 'jose';

/** A P-256 public key as a JWK (RFC 7518 section 6.2.1): never a private member. */
export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** The public part of a P-256 JWK; refuses anything else, so no private key leaks through. */
export function ecPublicJwk(jwk: JWK): EcPublicJwk {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string')
    throw new RangeError('a checkpoint key is an EC P-256 key');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/**
 * A key's id: its RFC 7638 thumbprint, so the same key has the same kid wherever it is: the
 * SHA-256 of the key's required members (for EC: crv, kty, x, y) in that order, without
 * whitespace, base64url. Written out rather than taken from jose, whose JWK import and
 * export code would ride in every function that signs or publishes (the bundle budget).
 */
export const keyId = async (jwk: EcPublicJwk): Promise<string> =>
  createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }), 'utf8')
    .digest('base64url');

export interface PublishedKey {
  kid: string;
  publicJwk: EcPublicJwk;
}

/**
 * GET /.well-known/jwks.json: the current key first, then retired ones, which stay
 * published so that checkpoints they signed keep verifying. Each key once.
 */
export function buildJwks(current: PublishedKey, retired: readonly PublishedKey[] = []): JSONWebKeySet {
  const seen = new Set<string>();
  const keys: JWK[] = [];
  for (const key of [current, ...retired]) {
    if (seen.has(key.kid)) continue;
    seen.add(key.kid);
    keys.push({ ...ecPublicJwk(key.publicJwk), kid: key.kid, alg: 'ES256', use: 'sig' });
  }
  return { keys };
}
