import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../bin/local/dynamodb-local.js';
import { type LocalService, startLocalService } from '../../bin/local/local-service.js';
import { createDocumentClient } from '../../functions/composition/runtime.js';
import { getHistoryController } from '../../functions/controllers/get-history-controller.js';
import { checkpointKeys } from '../../functions/signing/checkpoint-keys.js';
import { freshKeySigner } from '../../functions/signing/key-signer.js';
import type { StoreContext } from '../../functions/store/store-context.js';
import { httpEvent } from '../../harness/http-event.js';
import { postEvents, storeOf } from '../support/local-test-service.js';
import { assessment, checkTalks, opening } from './support/trust-service.js';

/**
 * The storage gone for real: a DynamoDB that accepts connections and never answers, and a
 * DynamoDB Local this suite starts, stops in the middle of a run and starts again on the
 * same port and data. The service answers 503 with Retry-After quickly, and recovers by
 * itself; every development a client sent (and resent after a 503) is stored exactly once.
 */
// The functions' timeout (lib/talks-function.ts): a 503 must come before the Lambda is cut.
const functionTimeoutMs = 10_000;

describe('a DynamoDB that never answers', () => {
  let blackHole: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    blackHole = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });

  it('answers 503 with Retry-After within the function timeout, with the production client', async () => {
    const address = blackHole.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const store: StoreContext = {
      doc: createDocumentClient({
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'nobody', secretAccessKey: 'nothing' },
      }),
      tables: { events: 'e', state: 's' },
      snapshotInterval: 50,
      maxAppendAttempts: 40,
      now: () => new Date(),
      newId: randomUUID,
      checkpoints: checkpointKeys(freshKeySigner),
    };
    const handler = getHistoryController({ store, readsArePublic: true, now: () => new Date(), log: () => {} });
    const started = Date.now();
    const response = await handler(httpEvent({ path: '/talks/x/events', pathParameters: { talksId: 'x' } }));
    const elapsed = Date.now() - started;
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(elapsed).toBeLessThan(functionTimeoutMs - 1_000);
    // Three attempts each cut by the request timeout, not one hanging forever.
    expect(sockets.size).toBe(3);
  }, 30_000);
});

describe('DynamoDB Local stopped mid-run and started again', () => {
  let dataDir: string;
  let dynamo: DynamoDbLocal;
  let service: LocalService;
  let store: StoreContext;
  const talksId = `outage-${randomUUID().slice(0, 6)}`;
  /** Every development a client sent, by event id, and whether it was acknowledged. */
  const sent = new Map<string, number>();

  const post = async (eventId: string): Promise<number> => {
    const response = await postEvents(service, talksId, assessment(`Reporter ${eventId.slice(0, 4)}`, eventId));
    if (response.status >= 500) {
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    sent.set(eventId, response.status);
    return response.status;
  };

  // The handlers' JSON lines, as the local server hands them to its log: kept and checked below.
  const logged: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'talks-outage-'));
    dynamo = await startDynamoDbLocal({ dataDir });
    service = await startLocalService({
      port: 0,
      dynamoEndpoint: dynamo.endpoint,
      dynamoCredentials: dynamo.credentials,
      tableNames: { events: 'outage-events', state: 'outage-state' },
      log: (line) => logged.push(line),
      feed: false,
    });
    store = storeOf(service);
    const response = await postEvents(service, talksId, opening());
    expect(response.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('answers 503 quickly during the outage and recovers without a restart, losing nothing', async () => {
    for (let i = 0; i < 5; i += 1) expect(await post(randomUUID())).toBe(201);
    // Writers keep going while DynamoDB goes down under them.
    const writers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 6; i += 1) await post(randomUUID());
    });
    await dynamo.stop();
    await Promise.all(writers);

    const started = Date.now();
    const during = await Promise.all([post(randomUUID()), fetch(`${service.url}/talks/${talksId}`), fetch(`${service.url}/talks`)]);
    // Within the function's timeout (the contract), not some machine-speed figure: refused connections fail fast.
    expect(Date.now() - started).toBeLessThan(functionTimeoutMs - 1_000);
    expect(during[0]).toBe(503);
    for (const read of during.slice(1) as Response[]) {
      expect(read.status).toBe(503);
      expect(read.headers.get('retry-after')).toBe('1');
    }

    dynamo = await startDynamoDbLocal({ dataDir, port: dynamo.port });
    // The same service process: its SDK clients reconnect on their own.
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i += 1) {
      recovered = (await fetch(`${service.url}/talks/${talksId}`)).status === 200;
      if (!recovered) await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered).toBe(true);

    // Clients resend what got no success, with the same event ids, as Retry-After invites
    // (a DynamoDB Local just restarted on a loaded machine may still answer slowly: a client
    // honouring Retry-After tries again after the second it was told).
    const unacknowledged = [...sent].filter(([, status]) => status >= 500).map(([id]) => id);
    expect(unacknowledged.length).toBeGreaterThan(0);
    for (const id of unacknowledged) {
      let status = await post(id);
      for (let resend = 0; status === 503 && resend < 5; resend += 1) {
        await new Promise((r) => setTimeout(r, 1_000));
        status = await post(id);
      }
      expect([200, 201]).toContain(status);
    }

    const { versions, eventIds } = await checkTalks(store, talksId);
    expect(new Set(eventIds.slice(1))).toEqual(new Set(sent.keys()));
    expect(versions).toBe(sent.size + 1);
    // Operators see why: one warning per refused request, naming the storage error.
    expect(logged.filter((line) => line.includes('"DynamoDB unavailable"') && line.includes('ECONNREFUSED')).length).toBeGreaterThanOrEqual(
      unacknowledged.length,
    );
    console.log(`outage: ${sent.size} developments sent, ${unacknowledged.length} got 503 and were resent, ${versions - 1} stored, 0 lost`);
  }, 120_000);
});
