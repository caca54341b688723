import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalService } from '../../bin/local/local-service.js';
import { cacheControl } from '../../functions/http/cache-policy.js';
import { postEvents, startTestService } from '../support/local-test-service.js';

/**
 * Every route's Cache-Control over real HTTP, from the local server (the same controllers as
 * the Lambdas): what the cache policy says for public reads, and never a shared cache for
 * reads that need a token.
 */
let open: LocalService;
let closed: LocalService;
const talksId = `cache-${randomUUID().slice(0, 8)}`;
let firstRecordedAt: string;

const assessment = (n: number) => ({
  type: 'progress.assessed',
  reportedAt: `2025-01-14T10:0${n}:00Z`,
  source: { name: 'Reuters' },
  data: { assessment: 'some_progress', by: `Mediator ${n}` },
});
const post = (service: LocalService, body: unknown) => postEvents(service, talksId, body);

beforeAll(async () => {
  open = await startTestService('cache');
  closed = await startTestService('cache', {
    tableNames: open.tableNames,
    readsPublic: false,
  });
  const first = await post(open, {
    type: 'talks.opened',
    reportedAt: '2025-01-13T09:00:00Z',
    source: { name: 'Reuters' },
    data: { title: 'Cache talks', parties: ['A', 'B'], mediators: ['C'] },
  });
  expect(first.status).toBe(201);
  firstRecordedAt = ((await first.json()) as { events: { recordedAt: string }[] }).events[0]?.recordedAt ?? '';
  // The next versions are recorded strictly later than the first, whatever the clock's grain.
  while (new Date().toISOString() <= firstRecordedAt) await new Promise((r) => setTimeout(r, 1));
  for (const n of [1, 2]) expect((await post(open, assessment(n))).status).toBe(201);
});
afterAll(async () => {
  await open?.stop();
  await closed?.stop();
});

const get = (service: LocalService, path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers });
const cacheOf = async (response: Response, status = 200) => {
  expect(response.status).toBe(status);
  return response.headers.get('cache-control');
};
const live = cacheControl('live', 'shared');
const settled = cacheControl('settled', 'shared');

describe('public reads', () => {
  it('keep the current status briefly, with its ETag, and a 304 that refreshes the same policy', async () => {
    expect(live).toMatch(/^public, max-age=5, stale-while-revalidate=30/);
    const current = await get(open, `/talks/${talksId}`);
    expect(await cacheOf(current)).toBe(live);
    const etag = current.headers.get('etag') ?? '';
    expect(etag).toBe('"3"');
    const revalidated = await get(open, `/talks/${talksId}`, { 'if-none-match': etag });
    expect(await cacheOf(revalidated, 304)).toBe(live);
    expect(revalidated.headers.get('etag')).toBe(etag);
  });

  it('mark what can never change immutable: an existing version, an asOf the head moved past', async () => {
    expect(settled).toBe('public, max-age=31536000, immutable');
    expect(await cacheOf(await get(open, `/talks/${talksId}?atVersion=1`))).toBe(settled);
    expect(await cacheOf(await get(open, `/talks/${talksId}?atVersion=3`))).toBe(settled);
    expect(await cacheOf(await get(open, `/talks/${talksId}?asOf=${encodeURIComponent(firstRecordedAt)}`))).toBe(settled);
  });

  it('keep briefly what the next append or a late report can change: asOf at the head, validAt, the list', async () => {
    expect(await cacheOf(await get(open, `/talks/${talksId}?asOf=2999-01-01T00:00:00Z`))).toBe(live);
    expect(await cacheOf(await get(open, `/talks/${talksId}?validAt=2025-01-14T10:01:30Z`))).toBe(live);
    expect(await cacheOf(await get(open, '/talks?limit=5'))).toBe(live);
  });

  it('settle a history page that ends below the head, not one that reaches it', async () => {
    const full = await get(open, `/talks/${talksId}/events?limit=2`);
    expect(((await full.clone().json()) as { nextAfter: number | null }).nextAfter).toBe(2);
    expect(await cacheOf(full)).toBe(settled);
    const last = await get(open, `/talks/${talksId}/events?after=2`);
    expect(((await last.clone().json()) as { nextAfter: number | null }).nextAfter).toBeNull();
    expect(await cacheOf(last)).toBe(live);
  });

  it('keep a 404 for seconds, and store no error, write or audit', async () => {
    expect(await cacheOf(await get(open, `/talks/no-such-${talksId}`), 404)).toBe('public, max-age=10');
    expect(await cacheOf(await get(open, `/talks/${talksId}?atVersion=99`), 404)).toBe('public, max-age=10');
    expect(await cacheOf(await get(open, `/talks/${talksId}?atVersion=zero`), 400)).toBe('no-store');
    expect(await cacheOf(await post(open, assessment(3)), 201)).toBe('no-store');
    expect(await cacheOf(await post(open, { type: 'nonsense' }), 400)).toBe('no-store');
    const audit = await get(open, `/talks/${talksId}/audit`, { authorization: `Bearer ${open.token}` });
    expect(await cacheOf(audit)).toBe('no-store');
  });

  it('let the OpenAPI document and the page files be cached for minutes', async () => {
    const documents = cacheControl('document', 'shared');
    expect(documents).toMatch(/^public, max-age=300/);
    expect(await cacheOf(await get(open, '/openapi.json'))).toBe(documents);
    expect(await cacheOf(await get(open, '/'))).toBe(documents);
  });
});

describe('reads that need a token', () => {
  const auth = () => ({ authorization: `Bearer ${closed.token}` });

  it('are private: the current status revalidated each time, the settled past kept only by the caller', async () => {
    expect(await cacheOf(await get(closed, `/talks/${talksId}`, auth()))).toBe('private, no-cache');
    expect(await cacheOf(await get(closed, `/talks/${talksId}?atVersion=1`, auth()))).toBe('private, max-age=31536000, immutable');
    expect(await cacheOf(await get(closed, `/talks/${talksId}/events?limit=2`, auth()))).toBe('private, max-age=31536000, immutable');
    expect(await cacheOf(await get(closed, '/talks', auth()))).toBe('private, no-cache');
    expect(await cacheOf(await get(closed, `/talks/no-such-${talksId}`, auth()), 404)).toBe('no-store');
  });

  it('never let any cache keep a refusal, and leave the public documents public', async () => {
    expect(await cacheOf(await get(closed, `/talks/${talksId}`), 401)).toBe('no-store');
    expect(await cacheOf(await get(closed, '/openapi.json'))).toBe(cacheControl('document', 'shared'));
  });
});
