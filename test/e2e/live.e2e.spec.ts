import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LocalService } from '../../bin/local/local-service.js';
import { liveSubprotocol, type ServerMessage } from '../../functions/live/live-protocol.js';
import { postEvents, startTestService } from '../support/local-test-service.js';

/**
 * Live updates end to end on the local server: appends over HTTP, DynamoDB Local's stream,
 * the feed's consumer, the /live hub, a WebSocket client. Nothing is handed to the hub by
 * the test itself.
 */
let service: LocalService;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  service = await startTestService('live', { feed: true });
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  await service?.stop();
});

const opened = (title: string) => ({
  type: 'talks.opened',
  reportedAt: '2025-02-01T10:00:00Z',
  source: { name: 'Reuters' },
  data: { title, parties: ['Aland', 'Borduria'] },
});
const statement = (n: number) => ({
  type: 'statement.issued',
  reportedAt: '2025-02-02T10:00:00Z',
  source: { name: 'AP' },
  data: { speaker: { name: 'A spokesperson', affiliation: 'Aland' }, stance: 'cautious', summary: `Statement ${n}` },
});

async function append(talksId: string, body: unknown): Promise<{ version: number; hash: string }[]> {
  const response = await postEvents(service, talksId, body);
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { events: { version: number; hash: string }[] }).events;
}

async function subscriber(talksIds: string[]) {
  const ws = new WebSocket(service.live.url, [liveSubprotocol]);
  sockets.push(ws);
  const got: ServerMessage[] = [];
  ws.on('message', (data) => got.push(JSON.parse(data.toString()) as ServerMessage));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ action: 'subscribe', talksIds }));
  await expect.poll(() => got.some((m) => m.type === 'subscriptions')).toBe(true);
  const changes = () => got.flatMap((m) => (m.type === 'change' ? [m] : []));
  return { ws, got, changes };
}

describe('live updates through the feed', () => {
  it('sends each appended event to the subscribers of its talks, in version order, with its head hash and summary', async () => {
    const a = `live-a-${randomUUID().slice(0, 8)}`;
    const b = `live-b-${randomUUID().slice(0, 8)}`;
    const followsA = await subscriber([a]);
    const followsBoth = await subscriber([a, b]);
    const stored = [...(await append(a, opened('Talks A'))), ...(await append(a, { events: [statement(1), statement(2)] }))];
    await append(b, opened('Talks B'));
    await expect.poll(() => followsBoth.changes().length, { timeout: 15_000 }).toBe(4);
    await expect.poll(() => followsA.changes().length, { timeout: 15_000 }).toBe(3);
    const ofA = followsA.changes();
    expect(ofA.map((m) => [m.talksId, m.version, m.headHash])).toEqual(stored.map((e) => [a, e.version, e.hash]));
    expect(ofA.at(-1)).toMatchObject({
      eventType: 'statement.issued',
      replayed: false,
      summary: { talksId: a, title: 'Talks A', version: 3, lastDevelopment: expect.stringContaining('Statement 2') },
    });
    expect(followsBoth.changes().filter((m) => m.talksId === b)).toMatchObject([{ version: 1, eventType: 'talks.opened' }]);
    // The head a message announces is the one a read gives.
    const status = (await (await fetch(`${service.url}/talks/${a}`)).json()) as { version: number; headHash: string };
    expect({ version: status.version, headHash: status.headHash }).toEqual({
      version: ofA.at(-1)!.version,
      headHash: ofA.at(-1)!.headHash,
    });
  });

  it('sends nothing after unsubscribe', async () => {
    const c = `live-c-${randomUUID().slice(0, 8)}`;
    const quitter = await subscriber([c]);
    const stayer = await subscriber([c]);
    await append(c, opened('Talks C'));
    await expect.poll(() => quitter.changes().length, { timeout: 15_000 }).toBe(1);
    quitter.ws.send(JSON.stringify({ action: 'unsubscribe', talksIds: [c] }));
    await expect.poll(() => quitter.got.filter((m) => m.type === 'subscriptions').length).toBe(2);
    await append(c, statement(1));
    // The one still subscribed gets it: by then the hub has had the change for the other too.
    await expect.poll(() => stayer.changes().length, { timeout: 15_000 }).toBe(2);
    expect(quitter.changes()).toHaveLength(1);
  });
});
