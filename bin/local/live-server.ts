import { createServer, type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { JwtAuthorizer } from '../../functions/http/jwt-authorizer.js';
import { problemResponse } from '../../functions/http/problem.js';
import { LiveHub } from '../../functions/live/live-hub.js';
import { asAuthorization, handshakeToken, liveSubprotocol, maxClientMessageBytes } from '../../functions/live/live-protocol.js';

export interface LiveServerOptions {
  port: number;
  host: string;
  authorizer: JwtAuthorizer;
  /** As for the HTTP reads: public, or a token with talks/read. */
  readsPublic: boolean;
  /** How often each connection is pinged; one that has not answered the last ping is dropped. */
  pingIntervalMs?: number;
  /** Bytes queued for one connection beyond which it is dropped rather than buffered for. */
  maxBufferedBytes?: number;
  maxConnections?: number;
  log?: (line: string) => void;
}

export interface LiveServer {
  /** ws://host:port/live */
  readonly url: string;
  readonly hub: LiveHub;
  /** Cuts every connection, as a network drop or a redeployment would: clients reconnect and re-read. */
  disconnectAll(): void;
  stop(): Promise<void>;
}

export const livePath = '/live';

/**
 * The local server's live updates: WebSockets at `/live` on a port of their own, as the
 * API Gateway WebSocket API is an endpoint of its own on AWS. The handshake is authorized
 * as a read is (no token for public reads; talks/read otherwise), then the hub does the rest.
 */
export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const log = options.log ?? (() => {});
  const pingIntervalMs = options.pingIntervalMs ?? 30_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const maxConnections = options.maxConnections ?? 1_000;
  const hub = new LiveHub();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxClientMessageBytes,
    // The client offers talks-live.v1 (and maybe bearer.<token>): the token is never echoed.
    handleProtocols: (offered) => (offered.has(liveSubprotocol) ? liveSubprotocol : false),
  });
  const http: Server = createServer((_request, response) => {
    const refusal = problemResponse(426, 'upgrade-required', `Connect with a WebSocket to ${livePath}`);
    response.writeHead(refusal.statusCode, { ...refusal.headers, upgrade: 'websocket', connection: 'upgrade' });
    response.end(refusal.body);
  });

  const refuse = (socket: Duplex, status: number, slug: string, detail: string) => {
    const problem = problemResponse(status, slug, detail);
    const body = problem.body ?? '';
    const headers = Object.entries({ ...problem.headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${headers}\r\n${body}`);
  };

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://local').pathname;
      if (path !== livePath) return refuse(socket, 404, 'not-found', `Live updates are at ${livePath}`);
      if (hub.connections >= maxConnections) return refuse(socket, 503, 'unavailable', 'Too many live connections; try again later');
      const token = handshakeToken(request.headers.authorization, request.headers['sec-websocket-protocol']);
      const decision = await options.authorizer.decide(asAuthorization(token), options.readsPublic ? undefined : 'talks/read');
      if ('denied' in decision) {
        const denied = decision.denied;
        return refuse(
          socket,
          denied.statusCode,
          denied.statusCode === 401 ? 'unauthorized' : 'forbidden',
          'Live updates need a token with talks/read',
        );
      }
      wss.handleUpgrade(request, socket, head, (ws) => accept(ws));
    })().catch((error: unknown) => {
      log(`live: handshake failed: ${(error as Error).message}`);
      socket.destroy();
    });
  });

  const accept = (ws: WebSocket) => {
    let alive = true;
    const client = {
      send(message: object): boolean {
        // Backpressure: a client that does not read is dropped, not buffered for without end.
        if (ws.bufferedAmount > maxBufferedBytes) {
          log(`live: dropped a client ${ws.bufferedAmount} bytes behind`);
          ws.terminate();
          return false;
        }
        ws.send(JSON.stringify(message));
        return true;
      },
    };
    hub.add(client);
    ws.on('pong', () => (alive = true));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return client.send({ type: 'error', status: 400, title: 'Not text', detail: 'Messages are JSON text frames' });
      hub.receive(client, data.toString());
    });
    const timer = setInterval(() => {
      if (!alive) {
        log('live: dropped a client that stopped answering pings');
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, pingIntervalMs);
    ws.on('close', () => {
      clearInterval(timer);
      hub.remove(client);
    });
    ws.on('error', () => ws.terminate());
  };

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolveListen());
  });
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `ws://${options.host}:${port}${livePath}`,
    hub,
    disconnectAll() {
      for (const ws of wss.clients) ws.terminate();
    },
    async stop() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
