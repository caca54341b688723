import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import { createJwtAuthorizer } from '../../functions/http/jwt-authorizer.js';
import { scopes } from '../../functions/http/routes.js';

/**
 * The local issuer: it mints the development token, signed as an identity provider would
 * sign an access token API Gateway accepts (RS256, with a `kid` naming a key of its JWKS).
 * The key pair lives in the data directory (0600), or only in memory without one.
 */
export const localIssuer = 'urn:talks-status:local';
export const localAudience = 'talks-status';
const algorithm = 'RS256';
const keyFile = 'dev-signing-key.json';

export interface TokenOptions {
  subject?: string;
  scopes?: readonly string[];
  /** Seconds since the epoch, or a jose time span ('30d'); null leaves `exp` out. */
  expiresIn?: string | number | null;
  issuer?: string;
  /** null leaves `aud` out. */
  audience?: string | null;
  /** Extra claims, or replacements (undefined removes one), for tests of what is refused. */
  claims?: Record<string, unknown>;
  /** The header's `kid`; null leaves it out. */
  kid?: string | null;
}

export interface LocalAuth {
  /** Verifies as the local server does for the development issuer. */
  verify(token: string): Promise<JWTPayload>;
  issueToken(options?: TokenOptions): Promise<string>;
  /** The public key set, as an issuer publishes it at its jwks_uri. */
  readonly jwks: JSONWebKeySet;
  /** The key resolver the verifier uses (selects by `kid`). */
  readonly keys: JWTVerifyGetKey;
  readonly kid: string;
}

interface SigningKeys {
  privateKey: CryptoKey;
  publicJwk: JWK & { kid: string };
}

async function generate(): Promise<{ keys: SigningKeys; privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true, modulusLength: 2048 });
  const bare = await exportJWK(publicKey);
  // The RFC 7638 thumbprint: a kid that names this very key, so a new key never reuses one.
  const kid = await calculateJwkThumbprint(bare);
  const publicJwk = { ...bare, kid, alg: algorithm, use: 'sig' };
  return { keys: { privateKey, publicJwk }, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: algorithm } };
}

async function loadOrCreateKeys(dataDir: string | undefined): Promise<SigningKeys> {
  const file = dataDir === undefined ? undefined : join(dataDir, keyFile);
  if (file !== undefined && existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { privateJwk?: JWK; publicJwk?: JWK };
    // A key from before RS256 (ES256, no kid) is replaced: tokens it signed are refused anyway.
    if (stored.privateJwk?.kty === 'RSA' && typeof stored.publicJwk?.kid === 'string') {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return {
        privateKey: (await importJWK(stored.privateJwk, algorithm)) as CryptoKey,
        publicJwk: stored.publicJwk as JWK & { kid: string },
      };
    }
  }
  const { keys, privateJwk } = await generate();
  if (file !== undefined && dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ privateJwk, publicJwk: keys.publicJwk }), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return keys;
}

export async function createLocalAuth(dataDir?: string): Promise<LocalAuth> {
  const { privateKey, publicJwk } = await loadOrCreateKeys(dataDir);
  const jwks: JSONWebKeySet = { keys: [publicJwk] };
  const keys = createLocalJWKSet(jwks);
  const verifier = createJwtAuthorizer({ issuer: localIssuer, audience: [localAudience], keys });
  return {
    jwks,
    keys,
    kid: publicJwk.kid,
    async verify(token) {
      return (await verifier.verify(token)).payload;
    },
    async issueToken(options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresIn === undefined ? '30d' : options.expiresIn;
      const exp = expiresIn === null ? undefined : typeof expiresIn === 'number' ? expiresIn : undefined;
      const payload: Record<string, unknown> = {
        iss: options.issuer ?? localIssuer,
        sub: options.subject ?? 'local-developer',
        aud: options.audience === null ? undefined : (options.audience ?? localAudience),
        scope: (options.scopes ?? Object.values(scopes)).join(' '),
        iat: now,
        exp,
        ...options.claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      const kid = options.kid === undefined ? publicJwk.kid : options.kid;
      const jwt = new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: algorithm, typ: 'JWT', ...(kid === null ? {} : { kid }) });
      if (typeof expiresIn === 'string' && !(options.claims !== undefined && 'exp' in options.claims)) jwt.setExpirationTime(expiresIn);
      return jwt.sign(privateKey);
    },
  };
}
