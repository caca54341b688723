import { jsonLog } from '../composition/http-settings.js';
import { createDocumentClient, requiredEnv } from '../composition/runtime.js';
import { createJwtAuthorizer, type JwtAuthorizer } from '../http/jwt-authorizer.js';
import { discoverIssuerKeys } from '../http/oidc-discovery.js';
import { LiveConnections } from '../live/live-connections.js';
import { type HandshakeCheck, liveRoutes } from '../live/live-routes.js';

/**
 * Lambda entry of every WebSocket API route. The handshake's token is checked here, with
 * the very rules of the HTTP API's JWT authorizer (functions/http/jwt-authorizer.ts, which the
 * local server uses too), because API Gateway's WebSocket APIs have no JWT authorizer and a
 * Lambda authorizer cannot let a tokenless handshake through when reads are public.
 */
const readsPublic = (process.env.READS_PUBLIC ?? 'true') !== 'false';
const connections = new LiveConnections(createDocumentClient(), requiredEnv(process.env, 'LIVE_CONNECTIONS_TABLE'));
const issuer = requiredEnv(process.env, 'JWT_ISSUER');
const audience = requiredEnv(process.env, 'JWT_AUDIENCE').split(',');

// Discovered on the first handshake that carries a token, then kept for the container's life.
let authorizer: Promise<JwtAuthorizer> | undefined;
const check: HandshakeCheck = async (authorization) => {
  if (authorization === undefined && readsPublic) return { granted: undefined };
  authorizer ??= discoverIssuerKeys(issuer).then((keys) => createJwtAuthorizer({ issuer, audience, keys }));
  const decision = await (await authorizer).decide(authorization, readsPublic ? undefined : 'talks/read');
  if ('denied' in decision) return { refused: decision.denied.statusCode === 403 ? 403 : 401 };
  return { granted: decision.granted?.claims.sub };
};

const routes = liveRoutes(connections, check);
export const handler = async (event: Parameters<typeof routes>[0]) => {
  try {
    return await routes(event);
  } catch (error) {
    jsonLog({ level: 'ERROR', message: 'live route failed', route: event.requestContext.routeKey, error: (error as Error).message });
    throw error;
  }
};
