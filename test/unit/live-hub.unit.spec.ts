import { describe, expect, it } from 'vitest';
import type { FeedChange } from '../../functions/feed/feed-change.js';
import { type LiveClient, LiveHub } from '../../functions/live/live-hub.js';
import {
  handshakeToken,
  maxSubscriptionsPerConnection,
  maxTalksIdsPerMessage,
  parseClientMessage,
  type ServerMessage,
} from '../../functions/live/live-protocol.js';

/** A connection that records what it is sent; `full` makes it refuse (a client too far behind). */
function recorder(full = false): LiveClient & { got: ServerMessage[] } {
  const got: ServerMessage[] = [];
  return {
    got,
    send: (message) => {
      if (full) return false;
      got.push(message);
      return true;
    },
  };
}

const change = (talksId: string, version: number): FeedChange =>
  ({
    talksId,
    version,
    headHash: `h${version}`,
    event: { type: 'talks.stalled', recordedAt: '2025-01-14T10:00:00.000Z', version, talksId },
    summary: {
      talksId,
      title: 'T',
      phase: 'stalled',
      momentum: 'unknown',
      version,
      updatedAt: '2025-01-14T10:00:00.000Z',
      lastDevelopment: 'Talks stalled',
    },
    replayed: false,
  }) as unknown as FeedChange;

const subscribe = (...talksIds: string[]) => JSON.stringify({ action: 'subscribe', talksIds });

describe('the live protocol', () => {
  it('reads subscribe, unsubscribe and ping, and refuses anything else naming the field', () => {
    expect(parseClientMessage(subscribe('a', 'b'))).toEqual({ message: { action: 'subscribe', talksIds: ['a', 'b'] } });
    expect(parseClientMessage('{"action":"ping"}')).toEqual({ message: { action: 'ping' } });
    const badId = parseClientMessage(subscribe('../etc'));
    expect(badId).toMatchObject({ error: { type: 'error', status: 400, errors: [{ field: 'talksIds/0' }] } });
    expect(parseClientMessage('{"action":"publish"}')).toMatchObject({ error: { status: 400, errors: [{ field: 'action' }] } });
    expect(parseClientMessage('{"action":"subscribe","talksIds":[],"extra":1}')).toMatchObject({ error: { status: 400 } });
    expect(parseClientMessage('not json')).toMatchObject({ error: { status: 400, title: 'Not JSON' } });
    const many = Array.from({ length: maxTalksIdsPerMessage + 1 }, (_, i) => `t${i}`);
    expect(parseClientMessage(subscribe(...many))).toMatchObject({ error: { errors: [{ field: 'talksIds' }] } });
    expect(parseClientMessage(' '.repeat(9000))).toMatchObject({ error: { status: 413 } });
  });

  it('takes the token from the Authorization header, else from a bearer.<token> subprotocol', () => {
    expect(handshakeToken('Bearer abc.def', 'talks-live.v1, bearer.xyz')).toBe('abc.def');
    expect(handshakeToken(undefined, 'talks-live.v1, bearer.x.y.z')).toBe('x.y.z');
    expect(handshakeToken(undefined, 'talks-live.v1, bearer.')).toBeUndefined();
    expect(handshakeToken(undefined, undefined)).toBeUndefined();
  });
});

describe('the live hub', () => {
  it('sends a change to the connections following its talks, and only to them', async () => {
    const hub = new LiveHub();
    const [a, b] = [recorder(), recorder()];
    hub.add(a);
    hub.add(b);
    hub.receive(a, subscribe('gaza', 'sudan'));
    hub.receive(b, subscribe('sudan'));
    expect(a.got).toEqual([{ type: 'subscriptions', talksIds: ['gaza', 'sudan'] }]);
    await hub.deliver(change('gaza', 7));
    await hub.deliver(change('sudan', 3));
    const changes = (c: { got: ServerMessage[] }) => c.got.filter((m) => m.type === 'change').map((m) => `${m.talksId}@${m.version}`);
    expect(changes(a)).toEqual(['gaza@7', 'sudan@3']);
    expect(changes(b)).toEqual(['sudan@3']);
    expect(a.got[1]).toEqual({
      type: 'change',
      talksId: 'gaza',
      version: 7,
      headHash: 'h7',
      eventType: 'talks.stalled',
      recordedAt: '2025-01-14T10:00:00.000Z',
      summary: expect.objectContaining({ phase: 'stalled', version: 7 }),
      replayed: false,
    });
  });

  it('stops sending after unsubscribe and after the connection is removed', async () => {
    const hub = new LiveHub();
    const a = recorder();
    hub.add(a);
    hub.receive(a, subscribe('gaza', 'sudan'));
    hub.receive(a, JSON.stringify({ action: 'unsubscribe', talksIds: ['gaza'] }));
    expect(a.got.at(-1)).toEqual({ type: 'subscriptions', talksIds: ['sudan'] });
    await hub.deliver(change('gaza', 8));
    hub.remove(a);
    await hub.deliver(change('sudan', 4));
    expect(a.got.filter((m) => m.type === 'change')).toEqual([]);
    expect(hub.connections).toBe(0);
  });

  it(`bounds a connection to ${maxSubscriptionsPerConnection} talks, refusing the subscribe that would pass it whole`, () => {
    const hub = new LiveHub();
    const a = recorder();
    hub.add(a);
    for (let i = 0; i < maxSubscriptionsPerConnection / 20; i += 1)
      hub.receive(a, subscribe(...Array.from({ length: 20 }, (_, j) => `t${i * 20 + j}`)));
    expect(a.got.at(-1)).toMatchObject({ type: 'subscriptions', talksIds: expect.arrayContaining(['t0', 't99']) });
    hub.receive(a, subscribe('t0', 'one-more'));
    expect(a.got.at(-1)).toMatchObject({ type: 'error', status: 429, errors: [{ field: 'talksIds' }] });
    // Already followed: not a new subscription, so not refused.
    hub.receive(a, subscribe('t5'));
    expect(a.got.at(-1)).toMatchObject({ type: 'subscriptions' });
  });

  it('drops a connection that cannot take more, and goes on delivering to the others', async () => {
    const hub = new LiveHub();
    const slow = recorder(true);
    const fine = recorder();
    hub.add(slow);
    hub.add(fine);
    hub.receive(slow, subscribe('gaza'));
    hub.receive(fine, subscribe('gaza'));
    await hub.deliver(change('gaza', 1));
    expect(hub.connections).toBe(1);
    await hub.deliver(change('gaza', 2));
    expect(fine.got.filter((m) => m.type === 'change')).toHaveLength(2);
  });

  it('answers a ping with a pong, and a bad message with an error, keeping the connection', () => {
    const hub = new LiveHub();
    const a = recorder();
    hub.add(a);
    hub.receive(a, '{"action":"ping"}');
    hub.receive(a, '{"action":"subscribe"}');
    expect(a.got).toMatchObject([{ type: 'pong' }, { type: 'error', status: 400, errors: [{ field: 'talksIds' }] }]);
    expect(hub.connections).toBe(1);
  });
});
