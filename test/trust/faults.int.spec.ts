import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient, dynamoClientSettings } from '../../functions/composition/runtime.js';
import { appendEventsController } from '../../functions/controllers/append-events-controller.js';
import { getHistoryController } from '../../functions/controllers/get-history-controller.js';
import type { Runtime } from '../../functions/controllers/runtime.js';
import type { HttpResponse } from '../../functions/http/http-types.js';
import type { StoreContext } from '../../functions/store/store-context.js';
import { httpEvent } from '../../harness/http-event.js';
import { createTestStore } from '../support/test-store.js';
import { type Fault, type Injector, injectFaults } from './support/fault-injection.js';
import { assessment, checkTalks, fingerprint, opening } from './support/trust-service.js';

/**
 * DynamoDB faults injected under the real handlers, through the SDK client configured as
 * in production (createDocumentClient): each gives a clear answer, retries where the SDK
 * or the append loop should, and a failed append leaves nothing behind.
 */
const talksId = 'faults';
const maxAppendAttempts = 8;
let injector: Injector;
let inspect: StoreContext;
let append: (body: unknown) => Promise<HttpResponse>;
let history: () => Promise<HttpResponse>;
const logs: Record<string, unknown>[] = [];
const faultsInjected = new Map<string, number>();

beforeAll(async () => {
  const doc = createDocumentClient({ endpoint: inject('dynamoEndpoint'), credentials: inject('dynamoCredentials') });
  injector = injectFaults(doc);
  const store = await createTestStore({ doc, maxAppendAttempts });
  inspect = { ...store.ctx, doc: store.raw };
  const runtime: Runtime = { ...store.runtime, store: store.ctx, log: (entry) => logs.push(entry) };
  const appendHandler = appendEventsController(runtime);
  const historyHandler = getHistoryController(runtime);
  append = (body) =>
    appendHandler(
      httpEvent({ method: 'POST', path: `/talks/${talksId}/events`, pathParameters: { talksId }, body, scopes: ['talks/write'] }),
    );
  history = () => historyHandler(httpEvent({ path: `/talks/${talksId}/events`, pathParameters: { talksId } }));
  expect((await append(opening())).statusCode).toBe(201);
});

/** Runs one request under a fault plan; checks the store is exactly as before when it failed. */
async function underFault(command: string, fault: Fault, times: number, request: () => Promise<HttpResponse>) {
  const before = await fingerprint(inspect, [talksId]);
  injector.plan({ command, fault, times });
  const started = Date.now();
  const response = await request();
  const ms = Date.now() - started;
  const attempts = injector.attempts.get(command) ?? 0;
  for (const [key, n] of injector.injected) faultsInjected.set(key, (faultsInjected.get(key) ?? 0) + n);
  injector.injected.clear();
  injector.plan(undefined);
  const body = JSON.parse(response.body ?? '{}') as Record<string, unknown>;
  if (response.statusCode >= 400) {
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(await fingerprint(inspect, [talksId]), `${fault} on ${command} left something behind`).toEqual(before);
  }
  await checkTalks(inspect, talksId);
  return { response, body, attempts, ms, before };
}

describe('the SDK client settings', () => {
  it('are what the handlers are built with: 3 attempts, timeouts that abort, in budget', async () => {
    const doc = createDocumentClient({
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'nobody', secretAccessKey: 'nothing' },
    });
    const config = doc.config as unknown as {
      maxAttempts: () => Promise<number>;
      retryMode: () => Promise<string>;
      requestHandler: { configProvider: Promise<Record<string, unknown>> };
    };
    expect(await config.maxAttempts()).toBe(dynamoClientSettings.maxAttempts);
    expect(await config.retryMode()).toBe('standard');
    expect(await config.requestHandler.configProvider).toMatchObject({
      connectionTimeout: 1_000,
      requestTimeout: 2_000,
      throwOnRequestTimeout: true,
    });
    // Worst case of one call: every attempt cut by requestTimeout, plus the standard
    // strategy's largest backoffs (throttling base 500 ms: up to 1 s, then 2 s).
    const worstMs = dynamoClientSettings.maxAttempts * dynamoClientSettings.requestTimeout + 1_000 + 2_000;
    expect(worstMs).toBeLessThan(10_000);
    doc.destroy();
  });
});

describe('DynamoDB errors on the append transaction', () => {
  it.each([
    ['throttle', 'storage-unavailable'],
    ['timeout', 'storage-unavailable'],
    ['refused', 'storage-unavailable'],
    ['server-error', 'storage-unavailable'],
  ] as const)(
    '%s for good: 503 with Retry-After after exactly 3 SDK attempts, nothing written',
    async (fault, slug) => {
      const { response, body, attempts } = await underFault('TransactWriteItems', fault, Infinity, () => append(assessment()));
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(body).toMatchObject({ type: `/problems/${slug}`, status: 503 });
      // maxAttempts 3 in createDocumentClient: the SDK, not the append loop, retries these.
      expect(attempts).toBe(3);
    },
    20_000,
  );

  it.each(['throttle', 'timeout', 'refused', 'server-error'] as const)(
    '%s twice, then fine: the SDK retries and the event lands once',
    async (fault) => {
      const { response, before } = await underFault('TransactWriteItems', fault, 2, () => append(assessment()));
      expect(response.statusCode).toBe(201);
      expect((await fingerprint(inspect, [talksId])).heads[talksId]?.version).toBe((before.heads[talksId]?.version ?? 0) + 1);
    },
    20_000,
  );

  it('a transaction conflict for good: bounded retries by the append loop, then 503 busy', async () => {
    const { response, body, attempts } = await underFault('TransactWriteItems', 'conflict', Infinity, () => append(assessment()));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(body).toMatchObject({ type: '/problems/busy' });
    expect(attempts).toBe(maxAppendAttempts);
  }, 20_000);

  it('transaction conflicts that pass: the development lands once', async () => {
    const { response } = await underFault('TransactWriteItems', 'conflict', 3, () => append(assessment()));
    expect(response.statusCode).toBe(201);
  });

  it('a lost response (written, answer timed out): the retry finds it stored, the resend replays it', async () => {
    const eventId = randomUUID();
    const { response, before } = await underFault('TransactWriteItems', 'lost-response', 1, () =>
      append(assessment('Lost answer', eventId)),
    );
    expect([200, 201]).toContain(response.statusCode);
    const after = await fingerprint(inspect, [talksId]);
    expect(after.heads[talksId]?.version).toBe((before.heads[talksId]?.version ?? 0) + 1);
    const resend = await append(assessment('Lost answer', eventId));
    expect(resend.statusCode).toBe(200);
    expect(await fingerprint(inspect, [talksId])).toEqual(after);
    expect((await checkTalks(inspect, talksId)).eventIds.filter((id) => id === eventId)).toHaveLength(1);
  });

  it('an unexpected error: 500 that tells nothing of the internals, logged in full', async () => {
    logs.length = 0;
    const { response } = await underFault('TransactWriteItems', 'validation', 1, () => append(assessment()));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/ValidationException|secret|internals|stack/i);
    expect(JSON.stringify(logs)).toContain('ValidationException');
  });
});

describe('DynamoDB errors on reads', () => {
  it.each(['throttle', 'timeout', 'refused'] as const)(
    '%s on the status read before an append: 503 with Retry-After',
    async (fault) => {
      const { response } = await underFault('GetItem', fault, Infinity, () => append(assessment()));
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
    },
    20_000,
  );

  it('throttling on a history read: 503 with Retry-After; once it passes, the history reads', async () => {
    const { response } = await underFault('Query', 'throttle', Infinity, history);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect((await history()).statusCode).toBe(200);
  }, 20_000);

  it('reports the faults injected', () => {
    console.log(`faults injected: ${JSON.stringify(Object.fromEntries(faultsInjected))}`);
    expect([...faultsInjected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
  });
});
