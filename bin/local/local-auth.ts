import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { scopes } from '../../functions/http/routes.js';

/**
 * Locally, the server plays API Gateway's JWT authorizer: it verifies bearer tokens
 * (signature, issuer, audience, expiry) with jose against a key pair kept in the data
 * directory, and hands the claims to the handlers exactly where API Gateway puts them.
 */
export const localIssuer = 'urn:talks-status:local';
export const localAudience = 'talks-status';
const algorithm = 'ES256';

export interface LocalAuth {
  verify(token: string): Promise<JWTPayload>;
  issueToken(options?: {
    subject?: string;
    scopes?: readonly string[];
    expiresIn?: string | number;
    issuer?: string;
    audience?: string;
  }): Promise<string>;
  /** The public key as a JWK, for clients that want to verify tokens themselves. */
  readonly publicJwk: JWK;
}

async function loadOrCreateKeys(dataDir: string | undefined): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; publicJwk: JWK }> {
  const file = dataDir === undefined ? undefined : join(dataDir, 'dev-signing-key.json');
  if (file !== undefined && existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
    return {
      privateKey: (await importJWK(stored.privateJwk, algorithm)) as CryptoKey,
      publicKey: (await importJWK(stored.publicJwk, algorithm)) as CryptoKey,
      publicJwk: stored.publicJwk,
    };
  }
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  if (file !== undefined && dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ privateJwk: await exportJWK(privateKey), publicJwk }), { mode: 0o600 });
  }
  return { privateKey, publicKey, publicJwk };
}

export async function createLocalAuth(dataDir?: string): Promise<LocalAuth> {
  const { privateKey, publicKey, publicJwk } = await loadOrCreateKeys(dataDir);
  return {
    publicJwk,
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, { issuer: localIssuer, audience: localAudience, algorithms: [algorithm] });
      return payload;
    },
    async issueToken(options = {}) {
      return new SignJWT({ scope: (options.scopes ?? Object.values(scopes)).join(' ') })
        .setProtectedHeader({ alg: algorithm })
        .setSubject(options.subject ?? 'local-developer')
        .setIssuer(options.issuer ?? localIssuer)
        .setAudience(options.audience ?? localAudience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '30d')
        .sign(privateKey);
    },
  };
}
