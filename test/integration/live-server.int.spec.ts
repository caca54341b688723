import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type LiveServer, startLiveServer } from '../../bin/local/live-server.js';
import { createLocalAuth, type LocalAuth, localAudience, localIssuer } from '../../bin/local/local-auth.js';
import type { FeedChange } from '../../functions/feed/feed-change.js';
import { createJwtAuthorizer } from '../../functions/http/jwt-authorizer.js';
import { liveSubprotocol, type ServerMessage } from '../../functions/live/live-protocol.js';

/**
 * The local /live endpoint over real WebSockets: the handshake's token rules, the
 * protocol's answers, keepalive and backpressure. Changes are handed to the hub directly
 * here; test/e2e/live.e2e.spec.ts sends them through the feed's consumer.
 */
let auth: LocalAuth;
let open: LiveServer;
let closed: LiveServer;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  auth = await createLocalAuth(undefined);
  const authorizer = createJwtAuthorizer({ issuer: localIssuer, audience: [localAudience], keys: auth.keys });
  open = await startLiveServer({ port: 0, host: '127.0.0.1', authorizer, readsPublic: true, pingIntervalMs: 200 });
  closed = await startLiveServer({ port: 0, host: '127.0.0.1', authorizer, readsPublic: false });
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  await open?.stop();
  await closed?.stop();
});

/** Connects and collects every message; resolves once open, rejects with the refusal's status. */
function connect(server: LiveServer, options: { protocols?: string[]; headers?: Record<string, string>; autoPong?: boolean } = {}) {
  const ws = new WebSocket(server.url, options.protocols ?? [liveSubprotocol], {
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    autoPong: options.autoPong ?? true,
  });
  sockets.push(ws);
  const got: ServerMessage[] = [];
  ws.on('message', (data) => got.push(JSON.parse(data.toString()) as ServerMessage));
  const ready = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const closedWith = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const next = async (type: ServerMessage['type']) => {
    await expect.poll(() => got.some((m) => m.type === type), { timeout: 5_000 }).toBe(true);
    const index = got.findIndex((m) => m.type === type);
    return got.splice(index, 1)[0]!;
  };
  return { ws, got, ready, closedWith, next };
}

const change = (talksId: string, version: number, padding = ''): FeedChange =>
  ({
    talksId,
    version,
    headHash: `h${version}`,
    event: { type: 'talks.resumed', recordedAt: '2025-01-14T10:00:00.000Z' },
    summary: { talksId, title: `T${padding}`, phase: 'active', momentum: 'unknown', version, updatedAt: '', lastDevelopment: null },
    replayed: false,
  }) as unknown as FeedChange;

describe('the local live endpoint', () => {
  it('with public reads, takes a connection without a token and sends the changes subscribed to', async () => {
    const c = connect(open);
    await c.ready;
    expect(c.ws.protocol).toBe(liveSubprotocol);
    c.ws.send(JSON.stringify({ action: 'subscribe', talksIds: ['gaza'] }));
    expect(await c.next('subscriptions')).toEqual({ type: 'subscriptions', talksIds: ['gaza'] });
    await open.hub.deliver(change('other', 1));
    await open.hub.deliver(change('gaza', 5));
    expect(await c.next('change')).toMatchObject({ type: 'change', talksId: 'gaza', version: 5, headHash: 'h5' });
    expect(c.got.filter((m) => m.type === 'change')).toEqual([]);
    c.ws.send('{"action":"subscribe","talksIds":"gaza"}');
    expect(await c.next('error')).toMatchObject({ status: 400, errors: [{ field: 'talksIds' }] });
  });

  it('with private reads, refuses a handshake without a token (401) or without talks/read (403)', async () => {
    await expect(connect(closed).ready).rejects.toThrow('refused 401');
    const writeOnly = await auth.issueToken({ scopes: ['talks/write'] });
    await expect(connect(closed, { headers: { authorization: `Bearer ${writeOnly}` } }).ready).rejects.toThrow('refused 403');
    await expect(connect(closed, { protocols: [liveSubprotocol, 'bearer.not-a-token'] }).ready).rejects.toThrow('refused 401');
  });

  it('with private reads, accepts talks/read in the Authorization header or as the bearer subprotocol, never echoing it', async () => {
    const reader = await auth.issueToken({ scopes: ['talks/read'] });
    const byHeader = connect(closed, { headers: { authorization: `Bearer ${reader}` } });
    await byHeader.ready;
    const byProtocol = connect(closed, { protocols: [liveSubprotocol, `bearer.${reader}`] });
    await byProtocol.ready;
    expect(byProtocol.ws.protocol).toBe(liveSubprotocol);
  });

  it('drops a connection that stops answering pings', async () => {
    const silent = connect(open, { autoPong: false });
    await silent.ready;
    expect(await silent.closedWith).toBe(1006);
  });

  it('drops a client that does not read rather than buffering for it, and keeps serving the others', async () => {
    const slow = connect(open);
    const fine = connect(open);
    await Promise.all([slow.ready, fine.ready]);
    for (const c of [slow, fine]) {
      c.ws.send(JSON.stringify({ action: 'subscribe', talksIds: ['busy'] }));
      await c.next('subscriptions');
    }
    // The slow client's end stops reading: the server's queue for it grows until it is cut off.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const before = open.hub.connections;
    const padding = 'x'.repeat(64 * 1024);
    let version = 0;
    while (open.hub.connections === before && version < 2_000) {
      version += 1;
      await open.hub.deliver(change('busy', version, padding));
      // Lets the sockets drain what they can, as the consumer's own awaits would.
      await new Promise((r) => setImmediate(r));
    }
    expect(open.hub.connections).toBe(before - 1);
    await expect.poll(() => fine.got.filter((m) => m.type === 'change').length, { timeout: 10_000 }).toBe(version);
  });

  it('answers a plain HTTP request with 426 and another path with 404', async () => {
    const http = open.url.replace('ws://', 'http://');
    const plain = await fetch(http);
    expect(plain.status).toBe(426);
    expect(plain.headers.get('content-type')).toContain('application/problem+json');
    await expect(connect({ ...open, url: http.replace('http://', 'ws://').replace('/live', '/elsewhere') }).ready).rejects.toThrow(
      'refused 404',
    );
  });
});
