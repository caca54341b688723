import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRegion } from '../../bin/local/dynamodb-local.js';
import { createDocumentClient } from '../../functions/composition/runtime.js';
import { connectionTtlSeconds, LiveConnections } from '../../functions/live/live-connections.js';
import { liveFanout } from '../../functions/live/live-fanout.js';
import type { ChangeMessage } from '../../functions/live/live-protocol.js';
import { type HandshakeCheck, liveRoutes, type WebSocketEvent } from '../../functions/live/live-routes.js';
import { testDynamo } from '../support/test-store.js';

/**
 * The WebSocket API's functions (what API Gateway calls on AWS) against a connections table
 * in DynamoDB Local, shaped as lib/talks-live.ts makes it. API Gateway's management API is
 * played by a recorder that answers 410 for connections the test says are gone.
 */
const table = `live-connections-${randomUUID().slice(0, 8)}`;
const doc = createDocumentClient(testDynamo());
let now = new Date('2026-12-01T12:00:00Z');
const connections = new LiveConnections(doc, table, () => now);
const publicReads: HandshakeCheck = async (authorization) =>
  authorization === undefined ? { granted: undefined } : authorization === 'Bearer good' ? { granted: 'reader' } : { refused: 401 };
const routes = liveRoutes(connections, publicReads);

beforeAll(async () => {
  const { endpoint, credentials } = testDynamo();
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials });
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
});
afterAll(() => doc.destroy());

const event = (routeKey: string, connectionId: string, extra: Partial<WebSocketEvent> = {}): WebSocketEvent => ({
  requestContext: { routeKey, connectionId },
  ...extra,
});
const send = async (connectionId: string, message: unknown) =>
  JSON.parse((await routes(event('subscribe', connectionId, { body: JSON.stringify(message) }))).body ?? 'null') as unknown;
const change = (talksId: string, version: number): ChangeMessage => ({
  type: 'change',
  talksId,
  version,
  headHash: `h${version}`,
  eventType: 'talks.resumed',
  recordedAt: now.toISOString(),
  summary: { talksId, title: 'T', phase: 'active', momentum: 'unknown', version, updatedAt: now.toISOString(), lastDevelopment: null },
  replayed: false,
});

describe('the WebSocket API functions', () => {
  it('$connect: accepts without a token when reads are public, refuses a bad token, chooses the subprotocol without echoing the token', async () => {
    const browser = await routes(event('$connect', 'c-browser', { headers: { 'Sec-WebSocket-Protocol': 'talks-live.v1, bearer.good' } }));
    expect(browser).toEqual({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'talks-live.v1' } });
    expect(await routes(event('$connect', 'c-bad', { headers: { authorization: 'Bearer bad' } }))).toEqual({ statusCode: 401 });
    // Refused: nothing recorded, so a message on it subscribes nothing.
    expect(await send('c-bad', { action: 'subscribe', talksIds: ['gaza'] })).toEqual({ type: 'subscriptions', talksIds: [] });
    expect((await routes(event('$connect', 'c-plain'))).statusCode).toBe(200);
  });

  it('subscribe and unsubscribe answer with the subscriptions; the fan-out posts to the followers only', async () => {
    await routes(event('$connect', 'c1'));
    await routes(event('$connect', 'c2'));
    expect(await send('c1', { action: 'subscribe', talksIds: ['gaza', 'sudan'] })).toEqual({
      type: 'subscriptions',
      talksIds: ['gaza', 'sudan'],
    });
    expect(await send('c2', { action: 'subscribe', talksIds: ['gaza'] })).toEqual({ type: 'subscriptions', talksIds: ['gaza'] });
    expect(await send('c1', { action: 'unsubscribe', talksIds: ['sudan'] })).toEqual({ type: 'subscriptions', talksIds: ['gaza'] });
    expect(await send('c1', { action: 'ping' })).toEqual({ type: 'pong' });
    expect(await send('c1', { action: 'subscribe', talksIds: 'gaza' })).toMatchObject({ type: 'error', status: 400 });
    const posted: string[] = [];
    const fanout = liveFanout(
      connections,
      async (connectionId, data) => {
        posted.push(`${connectionId}:${(JSON.parse(data) as ChangeMessage).version}`);
        return 'sent';
      },
      () => {},
    );
    expect(await fanout(change('gaza', 3))).toEqual({ sent: 2, gone: 0, failed: 0 });
    expect(await fanout(change('sudan', 9))).toEqual({ sent: 0, gone: 0, failed: 0 });
    expect(posted.sort()).toEqual(['c1:3', 'c2:3']);
  });

  it('forgets a connection API Gateway says is gone (410), and every subscription of a disconnected one', async () => {
    await routes(event('$connect', 'gone-1'));
    await routes(event('$connect', 'left-1'));
    await send('gone-1', { action: 'subscribe', talksIds: ['yemen', 'libya'] });
    await send('left-1', { action: 'subscribe', talksIds: ['yemen'] });
    const failing = liveFanout(
      connections,
      async (id) => (id === 'gone-1' ? 'gone' : 'sent'),
      () => {},
    );
    expect(await failing(change('yemen', 1))).toEqual({ sent: 1, gone: 1, failed: 0 });
    expect(await connections.followers('yemen')).toEqual(['left-1']);
    expect(await connections.followers('libya')).toEqual([]);
    await routes(event('$disconnect', 'left-1'));
    expect(await connections.followers('yemen')).toEqual([]);
  });

  it('counts a post that fails otherwise, and goes on with the others', async () => {
    await routes(event('$connect', 'flaky'));
    await routes(event('$connect', 'steady'));
    await send('flaky', { action: 'subscribe', talksIds: ['cyprus'] });
    await send('steady', { action: 'subscribe', talksIds: ['cyprus'] });
    const logged: Record<string, unknown>[] = [];
    const fanout = liveFanout(
      connections,
      async (id) => {
        if (id === 'flaky') throw Object.assign(new Error('rate exceeded'), { name: 'LimitExceededException' });
        return 'sent';
      },
      (entry) => logged.push(entry),
    );
    expect(await fanout(change('cyprus', 2))).toEqual({ sent: 1, gone: 0, failed: 1 });
    expect(logged.at(-1)).toMatchObject({ LiveMessagesSent: 1, LiveMessagesFailed: 1, LiveConnectionsGone: 0 });
    // Not forgotten: a throttled post says nothing about the client.
    expect((await connections.followers('cyprus')).sort()).toEqual(['flaky', 'steady']);
  });

  it('leaves out subscriptions past their TTL that DynamoDB has not removed yet', async () => {
    await routes(event('$connect', 'old'));
    await send('old', { action: 'subscribe', talksIds: ['kashmir'] });
    now = new Date(now.getTime() + (connectionTtlSeconds + 1) * 1000);
    expect(await connections.followers('kashmir')).toEqual([]);
  });
});
