import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxRequestBytes } from '../../bin/local/http-adapter.js';
import { startTrustService, type TrustService } from './support/trust-service.js';

/**
 * What a slow, hostile or impatient client does to the connection itself, on raw sockets:
 * nothing of a write's body is read before its token is checked, slow headers and bodies are
 * cut off by the (here small) timeouts, a refusal sent before the body was read ends the
 * connection, and a client that goes away is not the server's failure.
 */
const timeouts = { headersMs: 1_000, requestMs: 3_000, bodyIdleMs: 1_000, keepAliveMs: 1_000 };
// Generous: "closed by the timeouts", not "closed fast" (the machine may be loaded).
const closedWithinMs = 15_000;

let trust: TrustService;
const lines: string[] = [];
beforeAll(async () => {
  trust = await startTrustService({ timeouts, log: (line) => lines.push(line) });
});
afterAll(async () => trust?.service.stop());

interface Conversation {
  socket: Socket;
  /** Everything the server sent so far. */
  received: () => string;
  /** Settles when the server (or the network) closed the connection. */
  closed: Promise<void>;
}

function open(): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const socket = connect(trust.service.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    // A reset after the answer is the server closing too; the test reads what arrived.
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}

async function until(what: string, probe: () => boolean, timeoutMs = closedWithinMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const closedBefore = (conversation: Conversation, ms: number) =>
  Promise.race([conversation.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

const statusLines = (text: string) => text.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];

const writeHead = (talksId: string, headers: Record<string, string>) =>
  `POST /talks/${talksId}/events HTTP/1.1\r\nHost: local\r\nContent-Type: application/json\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

describe('a write without a valid token', () => {
  it.each([
    ['no token', {}],
    ['a forged token', { Authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }],
  ])('with %s is refused before its body, which never finishes, is read', async (_name, auth: Record<string, string>) => {
    const c = await open();
    c.socket.write(writeHead('never-read', { ...auth, 'Content-Length': '100000' }));
    c.socket.write('{"type":"talks.opened",');
    await until('the 401', () => /\r\n\r\n[\s\S]*"status":401/.test(c.received()));
    expect(statusLines(c.received())).toEqual(['HTTP/1.1 401']);
    expect(c.received().toLowerCase()).toContain('connection: close');
    expect(await closedBefore(c, closedWithinMs)).toBe(true);
  });
});

describe('slow clients', () => {
  it('closes a connection that sends its headers one byte a second', async () => {
    const c = await open();
    const head = `GET /talks/slow HTTP/1.1\r\nHost: local\r\nX-Slow: ${'a'.repeat(100)}\r\n\r\n`;
    let sent = 0;
    const drip = setInterval(() => {
      if (!c.socket.destroyed && sent < head.length) c.socket.write(head[sent++] ?? '');
    }, 1_000);
    try {
      expect(await closedBefore(c, closedWithinMs)).toBe(true);
      // Closed while the headers were still dripping in, with no answer but a 408 at most.
      expect(sent).toBeLessThan(head.length);
      expect(statusLines(c.received()).every((line) => line === 'HTTP/1.1 408')).toBe(true);
    } finally {
      clearInterval(drip);
    }
  }, 30_000);

  it('closes a connection that opens and says nothing', async () => {
    const c = await open();
    expect(await closedBefore(c, closedWithinMs)).toBe(true);
  }, 30_000);

  it('answers 408 and closes when a write body stops arriving', async () => {
    const c = await open();
    c.socket.write(writeHead('slow-body', { Authorization: `Bearer ${trust.service.token}`, 'Content-Length': '500' }));
    c.socket.write('{"type":"talks.opened",');
    expect(await closedBefore(c, closedWithinMs)).toBe(true);
    expect(statusLines(c.received())).toEqual(['HTTP/1.1 408']);
    expect((await fetch(`${trust.service.url}/talks/slow-body`)).status).toBe(404);
  }, 30_000);
});

describe('a body over the limit', () => {
  const pipelined = 'GET /openapi.json HTTP/1.1\r\nHost: local\r\n\r\n';

  it('declared by Content-Length is answered 413 with Connection: close, and what follows is not read as a request', async () => {
    const c = await open();
    const size = maxRequestBytes + 1024;
    c.socket.write(writeHead('too-large', { Authorization: `Bearer ${trust.service.token}`, 'Content-Length': String(size) }));
    c.socket.write(Buffer.alloc(size, 0x20));
    c.socket.write(pipelined);
    expect(await closedBefore(c, closedWithinMs)).toBe(true);
    expect(statusLines(c.received())).toEqual(['HTTP/1.1 413']);
    expect(c.received().toLowerCase()).toContain('connection: close');
  }, 30_000);

  it('sent chunked is cut off at the limit, answered 413 and the connection closed', async () => {
    const c = await open();
    c.socket.write(writeHead('too-large-chunked', { Authorization: `Bearer ${trust.service.token}`, 'Transfer-Encoding': 'chunked' }));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    for (let sent = 0; sent <= maxRequestBytes; sent += chunk.length) {
      if (c.socket.destroyed) break;
      c.socket.write(`${chunk.length.toString(16)}\r\n`);
      c.socket.write(chunk);
      c.socket.write('\r\n');
    }
    if (!c.socket.destroyed) c.socket.write(`0\r\n\r\n${pipelined}`);
    expect(await closedBefore(c, closedWithinMs)).toBe(true);
    expect(statusLines(c.received())).toEqual(['HTTP/1.1 413']);
    expect(c.received().toLowerCase()).toContain('connection: close');
    expect((await fetch(`${trust.service.url}/openapi.json`)).status).toBe(200);
  }, 30_000);
});

describe('a client that goes away', () => {
  it('mid-body is logged as gone, not as a 500', async () => {
    const c = await open();
    c.socket.write(writeHead('aborted', { Authorization: `Bearer ${trust.service.token}`, 'Content-Length': '500' }));
    c.socket.write('{"type":"talks.opened",');
    // The server has read the headers when the body starts being waited for.
    await new Promise((r) => setTimeout(r, 200));
    c.socket.destroy();
    await until('the log line', () => lines.some((line) => line.includes('/talks/aborted/events client went away')));
    expect(lines.filter((line) => line.includes('internal error') || / 500 /.test(line))).toEqual([]);
  }, 30_000);
});
