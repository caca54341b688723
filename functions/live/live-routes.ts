import type { LiveConnections } from './live-connections.js';
import { asAuthorization, errorMessage, handshakeToken, liveSubprotocol, parseClientMessage, type ServerMessage } from './live-protocol.js';

/** What API Gateway's WebSocket API sends a Lambda proxy integration (the fields we read). */
export interface WebSocketEvent {
  requestContext: { routeKey: string; connectionId: string; eventType?: string };
  headers?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface WebSocketResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/** The handshake's token check: undefined grants (with the token's subject, if any); a status refuses. */
export type HandshakeCheck = (authorization: string | undefined) => Promise<{ granted: string | undefined } | { refused: 401 | 403 }>;

const reply = (message: ServerMessage): WebSocketResult => ({ statusCode: 200, body: JSON.stringify(message) });

const header = (event: WebSocketEvent, name: string): string | undefined => {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
};

/**
 * Every route of the WebSocket API in one function: `$connect` checks the token as a read
 * would and records the connection; `subscribe`, `unsubscribe` and `ping` answer through the
 * route response (API Gateway sends the returned body to the client); `$disconnect`
 * forgets the connection; `$default` refuses what is not the protocol.
 */
export function liveRoutes(connections: LiveConnections, check: HandshakeCheck) {
  return async (event: WebSocketEvent): Promise<WebSocketResult> => {
    const { routeKey, connectionId } = event.requestContext;
    switch (routeKey) {
      case '$connect': {
        const offered = header(event, 'sec-websocket-protocol');
        const token = handshakeToken(header(event, 'authorization'), offered);
        const decision = await check(asAuthorization(token));
        if ('refused' in decision) return { statusCode: decision.refused };
        await connections.connect(connectionId, decision.granted);
        // A browser that offered subprotocols closes unless one is chosen; the token is never echoed.
        const chosen = offered?.split(',').some((p) => p.trim() === liveSubprotocol)
          ? { 'Sec-WebSocket-Protocol': liveSubprotocol }
          : undefined;
        return { statusCode: 200, ...(chosen === undefined ? {} : { headers: chosen }) };
      }
      case '$disconnect':
        await connections.disconnect(connectionId);
        return { statusCode: 200 };
      default: {
        const text = event.isBase64Encoded === true ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
        const parsed = parseClientMessage(text);
        if ('error' in parsed) return reply(parsed.error);
        const { message } = parsed;
        switch (message.action) {
          case 'ping':
            return reply({ type: 'pong' });
          case 'subscribe': {
            const result = await connections.subscribe(connectionId, message.talksIds);
            return reply('error' in result ? result.error : { type: 'subscriptions', talksIds: result.talksIds });
          }
          case 'unsubscribe': {
            const result = await connections.unsubscribe(connectionId, message.talksIds);
            return reply({ type: 'subscriptions', talksIds: result.talksIds });
          }
          default:
            message satisfies never;
            return reply(errorMessage(400, 'Invalid message', 'Unknown action'));
        }
      }
    }
  };
}
