import { decodeProtectedHeader, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { HttpEvent, HttpResponse } from './http-types.js';
import { problemResponse } from './problem.js';

/**
 * API Gateway's HTTP API JWT authorizer, played by the local server (and by the WebSocket API's
 * $connect, which has no JWT authorizer: functions/handlers/live-routes.ts). Each rule below is one
 * AWS documents for that authorizer, so a token the local server accepts is one the stack
 * accepts and the other way round:
 * - the signature is RSA-based (AWS accepts no other family) and the header names a `kid`
 *   found in the issuer's JWKS;
 * - `iss` equals the configured issuer, character for character;
 * - the audience is `aud` when the token has one, else `client_id` (Cognito access tokens
 *   carry only the latter), and must be one of the configured audiences;
 * - `exp` after now, `nbf` (if any) before now, `iat` not in the future;
 * - the route's scope is among `scope` or `scp` (a space-separated string, or an array).
 * Stricter than AWS on two points, both on the safe side: `exp` must be present (a token
 * without it would never expire), and `sub`, if present, must be a string (it becomes
 * `recordedBy`, the author of record of every event).
 */

/**
 * RSASSA-PKCS1-v1_5, which every identity provider issues. AWS says "RSA-based" without a
 * list; RSASSA-PSS (PS256...) is left out so that nothing accepted here can be refused there.
 */
export const acceptedAlgorithms = ['RS256', 'RS384', 'RS512'] as const;

/**
 * How far in the future `iat` may be. AWS refuses any `iat` after its clock; an identity
 * provider's clock a few seconds ahead of this machine's must not make its fresh tokens fail
 * here, but a token "issued" in the future (minted to outlive a key rotation or a
 * revocation) is refused. A minute covers NTP-synchronised clocks with a wide margin.
 */
export const futureIatLeewaySeconds = 60;

export interface JwtAuthorizerSettings {
  /** Compared with `iss` exactly, as API Gateway does (a trailing slash matters). */
  readonly issuer: string;
  /** Accepted values of `aud` (or of `client_id` when the token has no `aud`). */
  readonly audience: readonly string[];
  /** The issuer's keys, selected by the token's `kid`. */
  readonly keys: JWTVerifyGetKey;
  readonly now?: () => Date;
}

/** A token the authorizer refuses; the message is what API Gateway puts in error_description. */
export class TokenRefusedError extends Error {}

export interface VerifiedToken {
  readonly payload: JWTPayload;
  /** The union of `scope` and `scp`. */
  readonly scopes: readonly string[];
}

export interface JwtAuthorizer {
  readonly issuer: string;
  readonly audience: readonly string[];
  verify(token: string): Promise<VerifiedToken>;
  /**
   * The decision from the Authorization header alone (so a server can make it before it
   * reads a body): a 401 or 403 to send, or what to attach as requestContext.authorizer
   * (undefined for a public route, which has no authorizer on AWS either).
   */
  decide(
    authorization: string | undefined,
    scope: string | undefined,
  ): Promise<{ denied: HttpResponse } | { granted: GrantedJwt | undefined }>;
  /** 401 without a valid token, 403 without the scope; undefined lets the request through, claims attached. */
  authorize(event: HttpEvent, scope: string | undefined): Promise<HttpResponse | undefined>;
}

/** What API Gateway attaches for a granted request: requestContext.authorizer.jwt. */
export interface GrantedJwt {
  readonly claims: Record<string, string>;
  readonly scopes: string[];
}

const refuse = (reason: string): never => {
  throw new TokenRefusedError(reason);
};

/** `scope` and `scp`, each a space-separated string or an array of strings. */
export function tokenScopes(payload: JWTPayload): string[] {
  const found = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    const items = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const item of items) if (typeof item === 'string' && item !== '') found.add(item);
  }
  return [...found];
}

export function createJwtAuthorizer(settings: JwtAuthorizerSettings): JwtAuthorizer {
  const now = settings.now ?? (() => new Date());
  const verify = async (token: string): Promise<VerifiedToken> => {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return refuse('the token is not a signed JWT');
    }
    if (!(acceptedAlgorithms as readonly unknown[]).includes(header.alg)) {
      refuse(`the token is signed with ${String(header.alg)}; only ${acceptedAlgorithms.join(', ')} are accepted`);
    }
    // jose would try the only key of a one-key set for a token without `kid`; AWS refuses it.
    if (typeof header.kid !== 'string' || header.kid === '') refuse('the token has no kid');
    const currentDate = now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, settings.keys, {
        algorithms: [...acceptedAlgorithms],
        issuer: settings.issuer,
        requiredClaims: ['exp'],
        currentDate,
      }));
    } catch (error) {
      return refuse((error as Error).message);
    }
    const aud = payload.aud;
    const audiences = aud === undefined ? [payload.client_id] : Array.isArray(aud) ? aud : [aud];
    if (!audiences.some((a) => typeof a === 'string' && settings.audience.includes(a))) refuse('the token does not have a valid audience');
    if (payload.iat !== undefined && payload.iat > currentDate.getTime() / 1000 + futureIatLeewaySeconds) {
      refuse('the token is issued in the future (iat)');
    }
    if (payload.sub !== undefined && (typeof payload.sub !== 'string' || payload.sub === ''))
      refuse('the token has a sub that is not a string');
    return { payload, scopes: tokenScopes(payload) };
  };

  const authorizer: JwtAuthorizer = {
    issuer: settings.issuer,
    audience: settings.audience,
    verify,
    async decide(authorization, scope) {
      // A public route has no authorizer on AWS either: its Authorization header is ignored.
      if (scope === undefined) return { granted: undefined };
      if (authorization === undefined)
        return { denied: problemResponse(401, 'unauthorized', 'A bearer token is required', {}, { 'www-authenticate': 'Bearer' }) };
      let verified: VerifiedToken;
      try {
        // As the authorizer's identity source: the token after `Bearer `, or the token alone.
        const match = /^(?:Bearer )?([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization);
        if (match === null) refuse('not a bearer token');
        verified = await verify(match?.[1] ?? '');
      } catch (error) {
        const reason = (error as Error).message;
        return {
          denied: problemResponse(
            401,
            'unauthorized',
            `The token is not valid: ${reason}`,
            {},
            { 'www-authenticate': `Bearer error="invalid_token", error_description="${reason.replace(/["\\]/g, "'")}"` },
          ),
        };
      }
      if (!verified.scopes.includes(scope)) {
        return {
          denied: problemResponse(
            403,
            'forbidden',
            `The token lacks the scope ${scope}`,
            {},
            { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
          ),
        };
      }
      return { granted: { claims: claimsAsApiGatewayPasses(verified.payload), scopes: [...verified.scopes] } };
    },
    async authorize(event, scope) {
      const decision = await authorizer.decide(event.headers.authorization, scope);
      if ('denied' in decision) return decision.denied;
      if (decision.granted !== undefined) event.requestContext.authorizer = { jwt: decision.granted };
      return undefined;
    },
  };
  return authorizer;
}

/**
 * API Gateway hands the functions every claim as a string (numbers in decimal, arrays as
 * `[a b]`), so the handlers must never rely on a claim's JSON type; the local server does
 * the same so that a handler that would on AWS fails here first.
 */
export function claimsAsApiGatewayPasses(payload: JWTPayload): Record<string, string> {
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : Array.isArray(value) ? `[${value.map(text).join(' ')}]` : JSON.stringify(value);
  return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, text(value)]));
}
