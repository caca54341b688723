import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../bin/local/demo-loader.js';
import { appendEventsController } from '../../functions/controllers/append-events-controller.js';
import { getHistoryController } from '../../functions/controllers/get-history-controller.js';
import { getStatusController } from '../../functions/controllers/get-status-controller.js';
import { listTalksController } from '../../functions/controllers/list-talks-controller.js';
import { httpEvent } from '../../harness/http-event.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
let append: ReturnType<typeof appendEventsController>;
let status: ReturnType<typeof getStatusController>;
let history: ReturnType<typeof getHistoryController>;
let list: ReturnType<typeof listTalksController>;
beforeAll(async () => {
  store = await createTestStore();
  append = appendEventsController(store.runtime);
  status = getStatusController(store.runtime);
  history = getHistoryController(store.runtime);
  list = listTalksController(store.runtime);
});

const scenario = loadScenario();
const [opening, ...developments] = scenario.events;
const assessment = developments.find((e) => e.type === 'progress.assessed')!;
const post = (talksId: string, body: unknown, headers: Record<string, string> = {}, rawBody?: string) =>
  append(
    httpEvent({
      method: 'POST',
      path: `/talks/${talksId}/events`,
      pathParameters: { talksId },
      body,
      headers,
      scopes: ['talks/write'],
      ...(rawBody === undefined ? {} : { rawBody }),
    }),
  );
const problem = (response: { body?: string }) =>
  JSON.parse(response.body ?? '{}') as { type: string; status: number; detail: string; errors?: { field: string }[] };

describe('POST /talks/{talksId}/events', () => {
  it('opens a talks (201) and returns the stored event with version, recordedAt and hash', async () => {
    const response = await post('h-open', opening);
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    const body = JSON.parse(response.body!);
    expect(body).toMatchObject({ talksId: 'h-open', statusVersion: 1, outcome: 'appended' });
    expect(body.events[0]).toMatchObject({
      version: 1,
      recordedBy: 'tester',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      recordedAt: expect.any(String),
    });
  });

  it('answers a resent submission with 200 and the stored versions', async () => {
    const again = await post('h-open', opening);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body!).events[0].version).toBe(1);
  });

  it('names the offending fields of a bad event in problem+json', async () => {
    const response = await post('h-open', { ...assessment, data: { assessment: 'great', by: 'x', extra: 1 } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    const body = problem(response);
    expect(body.type).toBe('/problems/validation-failed');
    expect(body.errors?.map((e) => e.field).sort()).toEqual(['data/assessment', 'data/extra']);
  });

  it('names the index of a bad event in a batch', async () => {
    const response = await post('h-open', { events: [developments[0], { ...developments[1], reportedAt: 'yesterday' }] });
    expect(response.statusCode).toBe(400);
    expect(problem(response).errors?.map((e) => e.field)).toEqual(['events/1/reportedAt']);
  });

  it('rejects more than 25 events in a batch', async () => {
    const response = await post('h-open', { events: Array.from({ length: 26 }, () => developments[0]) });
    expect(response.statusCode).toBe(400);
    expect(problem(response).errors?.[0]?.field).toBe('events');
  });

  it('rejects an unknown type with 400 naming the type', async () => {
    const response = await post('h-open', { ...assessment, type: 'talks.exploded' });
    expect(response.statusCode).toBe(400);
    expect(problem(response).errors?.[0]?.field).toBe('type');
  });

  it('rejects a talks id with separators or spaces, naming talksId', async () => {
    const response = await post('bad id#1', assessment);
    expect(response.statusCode).toBe(400);
    expect(problem(response).errors?.[0]?.field).toBe('talksId');
  });

  it('answers 415 for a body that is not JSON, 413 past 256 KiB, 400 for broken JSON', async () => {
    expect((await post('h-open', undefined, { 'content-type': 'text/plain' }, 'hello')).statusCode).toBe(415);
    expect((await post('h-open', undefined, {}, JSON.stringify({ pad: 'x'.repeat(300 * 1024) }))).statusCode).toBe(413);
    const broken = await post('h-open', undefined, {}, '{"type":');
    expect(broken.statusCode).toBe(400);
    expect(problem(broken).errors?.[0]?.field).toBe('body');
  });

  it('answers 404 for developments of an unknown talks and 409 on an If-Match mismatch', async () => {
    expect((await post('h-unknown', developments[0])).statusCode).toBe(404);
    const mismatch = await post('h-open', developments[0], { 'if-match': '"7"' });
    expect(mismatch.statusCode).toBe(409);
    expect(JSON.parse(mismatch.body!)).toMatchObject({ currentVersion: 1, expectedVersion: 7 });
    expect((await post('h-open', developments[0], { 'if-match': 'seven' })).statusCode).toBe(400);
  });

  it('refuses a caller without the write scope even if the route was misconfigured', async () => {
    const response = await append(
      httpEvent({
        method: 'POST',
        path: '/talks/h-open/events',
        pathParameters: { talksId: 'h-open' },
        body: developments[0],
        scopes: ['talks/read'],
      }),
    );
    expect(response.statusCode).toBe(403);
    const anonymous = await append(
      httpEvent({ method: 'POST', path: '/talks/h-open/events', pathParameters: { talksId: 'h-open' }, body: developments[0] }),
    );
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('reads', () => {
  it('returns the status with an ETag, and 304 when it has not changed', async () => {
    store.counter.reset();
    const first = await status(httpEvent({ path: '/talks/h-open', pathParameters: { talksId: 'h-open' } }));
    expect(first.statusCode).toBe(200);
    // The status read is one GetItem, whatever the history length.
    expect(Object.fromEntries(store.counter.counts)).toEqual({ GetItem: 1 });
    const etag = first.headers.etag!;
    expect(JSON.parse(first.body!)).toMatchObject({
      talksId: 'h-open',
      version: Number(etag.replaceAll('"', '')),
      phase: 'active',
      headHash: expect.any(String),
      updatedAt: expect.any(String),
    });
    const cached = await status(
      httpEvent({ path: '/talks/h-open', pathParameters: { talksId: 'h-open' }, headers: { 'if-none-match': etag } }),
    );
    expect(cached.statusCode).toBe(304);
    expect((await status(httpEvent({ path: '/talks/nope', pathParameters: { talksId: 'nope' } }))).statusCode).toBe(404);
  });

  it('validates history and list query parameters', async () => {
    const bad = await history(
      httpEvent({ path: '/talks/h-open/events', pathParameters: { talksId: 'h-open' }, query: { limit: '5000', types: 'nope' } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(
      problem(bad)
        .errors?.map((e) => e.field)
        .sort(),
    ).toEqual(['limit', 'types/0']);
    expect((await history(httpEvent({ path: '/talks/nope/events', pathParameters: { talksId: 'nope' } }))).statusCode).toBe(404);
    expect((await list(httpEvent({ path: '/talks', query: { cursor: '!!!' } }))).statusCode).toBe(400);
    expect((await list(httpEvent({ path: '/talks', query: { colour: 'red' } }))).statusCode).toBe(400);
    const ok = await list(httpEvent({ path: '/talks' }));
    expect(JSON.parse(ok.body!).items.map((t: { talksId: string }) => t.talksId)).toContain('h-open');
  });
});
