import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

/** Loopback is the one place plain HTTP is acceptable for an issuer: nobody else can sit on the wire. */
const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/**
 * OIDC discovery, as API Gateway does it: `{issuer}/.well-known/openid-configuration`
 * names `jwks_uri`, whose keys are fetched (and refetched for an unknown `kid`). The
 * document must name the same issuer (OpenID Connect Discovery 1.0, section 4.3): a
 * mismatch is a misconfiguration that would refuse every token, so it stops the start.
 */
export async function discoverIssuerKeys(issuer: string): Promise<JWTVerifyGetKey> {
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new Error(`The issuer ${issuer} is not a URL`);
  }
  if (issuerUrl.protocol !== 'https:' && !(issuerUrl.protocol === 'http:' && isLoopback(issuerUrl))) {
    throw new Error(`The issuer ${issuer} must be https (plain http only on loopback)`);
  }
  const discoveryUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let metadata: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(discoveryUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    metadata = (await response.json()) as typeof metadata;
  } catch (error) {
    throw new Error(`OIDC discovery failed at ${discoveryUrl}: ${(error as Error).message}`);
  }
  if (metadata.issuer !== issuer) {
    throw new Error(`${discoveryUrl} names the issuer ${String(metadata.issuer)}, not ${issuer}: give --issuer exactly as the tokens' iss`);
  }
  if (typeof metadata.jwks_uri !== 'string') throw new Error(`${discoveryUrl} has no jwks_uri`);
  const jwksUrl = new URL(metadata.jwks_uri);
  if (jwksUrl.protocol !== 'https:' && !(jwksUrl.protocol === 'http:' && isLoopback(jwksUrl))) {
    throw new Error(`The jwks_uri ${jwksUrl.href} must be https (plain http only on loopback)`);
  }
  return createRemoteJWKSet(jwksUrl);
}
