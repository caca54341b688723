import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import { exportJWK } from 'jose';
import Provider from 'oidc-provider';
import { freePort } from '../../bin/local/dynamodb-local.js';
import { scopes } from '../../functions/http/routes.js';

/**
 * A real OpenID provider (the certified `oidc-provider`) on loopback, issuing OAuth 2.0
 * client-credentials access tokens as JWTs (RFC 9068) for the resource servers it knows:
 * RS256 with a kid, `aud` the resource indicator (RFC 8707), `scope`, `client_id`, and
 * `sub` the client id. Two resource servers: the talks API and another one.
 */
export const talksResource = 'https://talks-status.example/api';
export const otherResource = 'https://other-api.example/';

export interface OidcIssuer {
  readonly issuer: string;
  /** The access token a client gets for `scope` at `resource` (client credentials grant). */
  token(clientId: string, scope: string, resource?: string): Promise<string>;
  stop(): Promise<void>;
}

export const clients = {
  writer: { secret: 'writer-secret', scope: Object.values(scopes).join(' ') },
  reader: { secret: 'reader-secret', scope: scopes.read },
} as const;

export async function startOidcIssuer(): Promise<OidcIssuer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-idp-rs256', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey] },
    // Scopes the provider knows beyond OpenID's own: the API's.
    scopes: ['openid', ...Object.values(scopes)],
    ttl: { ClientCredentials: 300 },
    clients: Object.entries(clients).map(([clientId, c]) => ({
      client_id: clientId,
      client_secret: c.secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: c.scope,
    })),
    features: {
      clientCredentials: { enabled: true },
      // No interactive flows in this provider: it only serves machine clients.
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => talksResource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (resourceIndicator !== talksResource && resourceIndicator !== otherResource) throw new Error('unknown resource');
          return {
            scope: Object.values(scopes).join(' '),
            audience: resourceIndicator,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 300,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });
  const server: Server = provider.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  return {
    issuer,
    async token(clientId, scope, resource = talksResource) {
      const client = clients[clientId as keyof typeof clients];
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${client.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }).toString(),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!response.ok || body.access_token === undefined) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
