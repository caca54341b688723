// zod's mini build, as the HTTP handlers use: classic zod's namespace brought every locale
// (450 KB) into each bundle that imported this module. Its English messages are kept per parse.

import * as z from 'zod/mini';
import english from 'zod/v4/locales/en.js';
import { talksIdSchema } from '../domain/common-schemas.js';
import type { ChangeMessage } from './change-message.js';

/**
 * The live updates protocol, the same over the local server's `/live` and the API Gateway
 * WebSocket API (which routes on `action`). Documented in README, "Live updates".
 */

/** Offered by clients, chosen by the server; a second offered protocol `bearer.<token>` carries the token from browsers. */
export const liveSubprotocol = 'talks-live.v1';
/** Browsers cannot set headers on a WebSocket: the token rides as an offered subprotocol, never echoed back. */
export const bearerSubprotocolPrefix = 'bearer.';

/** Talks one connection may follow at once: the fan-out reads one item per subscriber, so this bounds a connection's cost. */
export const maxSubscriptionsPerConnection = 100;
/** Talks ids in one subscribe or unsubscribe message. */
export const maxTalksIdsPerMessage = 25;
/** A client message beyond this is refused unread (API Gateway's own frame limit is 32 KB). */
export const maxClientMessageBytes = 8 * 1024;

const talksIds = z.array(talksIdSchema).check(z.minLength(1), z.maxLength(maxTalksIdsPerMessage));

export const clientMessageSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('subscribe'), talksIds }),
  z.strictObject({ action: z.literal('unsubscribe'), talksIds }),
  // Browsers cannot send ping frames; API Gateway closes a connection idle for 10 minutes.
  z.strictObject({ action: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

// The change message has its own module: the feed's live sink sends it without building the client schemas.
export { type ChangeMessage, changeMessage } from './change-message.js';

/** The connection's subscriptions after a subscribe or unsubscribe: changes flow for these from now on. */
export interface SubscriptionsMessage {
  type: 'subscriptions';
  talksIds: string[];
}

/** A refused message, problem-shaped as the HTTP API's refusals are; the connection stays open. */
export interface ErrorMessage {
  type: 'error';
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

export type ServerMessage = ChangeMessage | SubscriptionsMessage | ErrorMessage | { type: 'pong' };

/** Classic zod's messages ("Too big: expected array to have <=25 items"), which clients have seen since v1. */
const englishMessages = english().localeError;

export type ParsedClientMessage = { message: ClientMessage } | { error: ErrorMessage };

/** Parses one text frame; a refusal names the offending field as the HTTP API's 400s do. */
export function parseClientMessage(text: string): ParsedClientMessage {
  if (Buffer.byteLength(text) > maxClientMessageBytes)
    return { error: errorMessage(413, 'Message too large', `A message may have at most ${maxClientMessageBytes} bytes`) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: errorMessage(400, 'Not JSON', 'A message is one JSON object, such as {"action":"subscribe","talksIds":["..."]}') };
  }
  const parsed = clientMessageSchema.safeParse(json, { error: englishMessages });
  if (parsed.success) return { message: parsed.data };
  return {
    error: {
      ...errorMessage(400, 'Invalid message', 'The message does not follow the live protocol'),
      errors: parsed.error.issues.map((issue) => ({
        field: issue.path.length === 0 ? 'action' : issue.path.join('/'),
        message: issue.message,
      })),
    },
  };
}

export const errorMessage = (status: number, title: string, detail: string): ErrorMessage => ({ type: 'error', status, title, detail });

/** The subscriptions after adding `wanted`, or a refusal when they would pass the bound. */
export function withSubscriptions(
  current: ReadonlySet<string>,
  wanted: readonly string[],
): { next: Set<string> } | { error: ErrorMessage } {
  const next = new Set([...current, ...wanted]);
  if (next.size > maxSubscriptionsPerConnection)
    return {
      error: {
        ...errorMessage(
          429,
          'Too many subscriptions',
          `A connection follows at most ${maxSubscriptionsPerConnection} talks; unsubscribe some or open another connection`,
        ),
        errors: [{ field: 'talksIds', message: `would make ${next.size} subscriptions` }],
      },
    };
  return { next };
}

/** The bearer token a handshake carries: `Authorization: Bearer` (non-browser clients) or the `bearer.<token>` subprotocol. */
export function handshakeToken(authorization: string | undefined, offeredProtocols: string | undefined): string | undefined {
  const header = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (header !== undefined) return header;
  const offered = (offeredProtocols ?? '').split(',').map((p) => p.trim());
  const carried = offered.find((p) => p.startsWith(bearerSubprotocolPrefix));
  return carried === undefined || carried.length === bearerSubprotocolPrefix.length
    ? undefined
    : carried.slice(bearerSubprotocolPrefix.length);
}

/** The Authorization header the HTTP API's authorizer would read, built from whichever way the token came. */
export const asAuthorization = (token: string | undefined): string | undefined => (token === undefined ? undefined : `Bearer ${token}`);
