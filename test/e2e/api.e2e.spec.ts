import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import type { LocalService } from '../../bin/local/local-service.js';
import { verifyEventHash } from '../../functions/domain/hash-chain.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { json } from '../support/json.js';
import { startTestService } from '../support/local-test-service.js';

let service: LocalService;
const scenario = loadScenario();
beforeAll(async () => {
  service = await startTestService('e2e');
  await loadDemo(service.url, service.token, scenario);
});
afterAll(async () => {
  await service?.stop();
});

const api = (path: string, init: RequestInit = {}) => fetch(`${service.url}${path}`, init);
/** `null` sends no Authorization header at all. */
const postEvent = (talksId: string, body: unknown, token: string | null = service.token, headers: Record<string, string> = {}) =>
  api(`/talks/${talksId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body: JSON.stringify(body),
  });
const assessment = () => ({
  type: 'progress.assessed',
  reportedAt: '2025-01-14T10:00:00+02:00',
  source: { name: 'Reuters' },
  data: { assessment: 'some_progress', by: 'A mediator' },
});

describe('the demo scenario over HTTP', () => {
  it('reads as the scenario says it should', async () => {
    const response = await api(`/talks/${scenario.talksId}`);
    expect(response.status).toBe(200);
    const status = await json(response);
    expect(status).toMatchObject({
      talksId: scenario.talksId,
      version: scenario.events.length,
      phase: 'active',
      agreement: { state: 'none' },
    });
    // Momentum is judged at the moment viewed: read now, the news of 13 January 2025 is too
    // old to judge; read as of that evening, it is positive.
    expect(status.momentum).toMatchObject({ label: 'unknown', basis: 0 });
    const thatEvening = await json(api(`/talks/${scenario.talksId}?validAt=2025-01-13T18:00:00Z`));
    expect(thatEvening.momentum).toMatchObject({ label: 'positive', at: '2025-01-13T18:00:00.000Z' });
    const roles = Object.fromEntries(status.participants.map((p: { name: string; role: string }) => [p.name, p.role]));
    expect(roles).toMatchObject({
      Israel: 'party',
      Hamas: 'party',
      'United States': 'mediator',
      Qatar: 'mediator',
      'Steve Witkoff': 'envoy',
    });
    const positions = Object.fromEntries(status.positions.map((p: { party: string; kind: string }) => [p.party, p.kind]));
    expect(positions).toEqual({ Israel: 'statement', Hamas: 'no_statement' });
    expect(status.deadlines.map((d: { kind: string }) => d.kind).sort()).toEqual(['aspiration', 'target', 'ultimatum']);
    expect(status.figures.map((f: { metric: string }) => f.metric).sort()).toEqual([
      'hostages_taken_7_october',
      'killed_in_7_october_attacks',
      'killed_in_gaza',
    ]);
  });

  it('loads idempotently: a second load stores nothing', async () => {
    const again = await loadDemo(service.url, service.token, scenario);
    expect(again).toEqual({ appended: 0, replayed: scenario.events.length });
  });

  it('pages through the history and lists the talks', async () => {
    const first = await json(api(`/talks/${scenario.talksId}/events?limit=10`));
    expect(first.items).toHaveLength(10);
    const rest = await json(api(`/talks/${scenario.talksId}/events?after=${first.nextAfter}&limit=1000`));
    expect([...first.items, ...rest.items].map((e: { version: number }) => e.version)).toEqual(scenario.events.map((_, i) => i + 1));
    expect(rest.nextAfter).toBeNull();
    const list = await json(api('/talks'));
    expect(list.items[0]).toMatchObject({ talksId: scenario.talksId, phase: 'active' });
  });

  it("words each development in the history's summaries as the status words its last development", async () => {
    const status = await json(api(`/talks/${scenario.talksId}`));
    const history = await json(api(`/talks/${scenario.talksId}/events?limit=1000`));
    const items = history.items as (StoredEvent & Record<string, unknown>)[];
    const summaries = history.summaries as { version: number; summary: string }[];
    expect(summaries.map((s) => s.version)).toEqual(items.map((e) => e.version));
    for (const s of summaries) expect(s.summary.trim()).not.toBe('');
    expect(summaries.at(-1)).toEqual({ version: status.version, summary: status.lastDevelopment.summary });
    // The summaries ride beside the items: each item is still the stored event its hash covers.
    for (const item of items) {
      expect(verifyEventHash(item)).toBe(true);
      expect(Object.keys(item)).not.toContain('summary');
    }
    const filtered = await json(api(`/talks/${scenario.talksId}/events?types=deadline.set&after=2&limit=2`));
    expect(filtered.summaries).toEqual(filtered.items.map((e: { version: number }) => summaries.find((s) => s.version === e.version)));
  });
});

describe('writes over HTTP', () => {
  it('refuses writes without a valid token with the write scope, and writes nothing', async () => {
    const expired = await service.auth.issueToken({ expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const wrongIssuer = await service.auth.issueToken({ issuer: 'https://evil.example' });
    const wrongAudience = await service.auth.issueToken({ audience: 'someone-else' });
    const readOnly = await service.auth.issueToken({ scopes: ['talks/read'] });
    const forged = `${service.token.slice(0, -4)}AAAA`;
    const cases: [string | null, number][] = [
      [null, 401],
      [expired, 401],
      [wrongIssuer, 401],
      [wrongAudience, 401],
      [forged, 401],
      ['not-a-jwt', 401],
      [readOnly, 403],
    ];
    for (const [token, status] of cases) {
      const response = await postEvent(scenario.talksId, assessment(), token);
      expect({ token: token?.slice(-12) ?? null, status: response.status }).toEqual({ token: token?.slice(-12) ?? null, status });
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    const status = await json(api(`/talks/${scenario.talksId}`));
    expect(status.version).toBe(scenario.events.length);
  });

  it('lands 20 concurrent submissions to one talks, gapless', async () => {
    const talksId = `e2e-race-${randomUUID().slice(0, 6)}`;
    expect(
      (await postEvent(talksId, scenario.events[0]!.type === 'talks.opened' ? { ...scenario.events[0], eventId: randomUUID() } : {}))
        .status,
    ).toBe(201);
    const responses = await Promise.all(Array.from({ length: 20 }, () => postEvent(talksId, assessment())));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const history = await json(api(`/talks/${talksId}/events?limit=1000`));
    expect(history.items.map((e: { version: number }) => e.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(history.items[1].reportedAt).toBe('2025-01-14T08:00:00.000Z');
  });

  it('honours If-Match and If-None-Match', async () => {
    const first = await api(`/talks/${scenario.talksId}`);
    const etag = first.headers.get('etag')!;
    expect((await api(`/talks/${scenario.talksId}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const stale = await postEvent(scenario.talksId, assessment(), service.token, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    const fresh = await postEvent(scenario.talksId, assessment(), service.token, { 'if-match': etag });
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get('etag')).not.toBe(etag);
    expect((await api(`/talks/${scenario.talksId}`, { headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('answers unknown routes and methods with problem+json', async () => {
    const missing = await api('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect((await api('/talks', { method: 'DELETE' })).status).toBe(405);
  });
});

describe('the status page over HTTP (the same function the stack deploys at /)', () => {
  it('serves index.html at / and the files of web/ under /web/, under a strict content security policy', async () => {
    const page = await api('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    for (const [, file] of html.matchAll(/(?:src|href)="\/?web\/([^"]+)"/g)) {
      const asset = await api(`/web/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect([...html.matchAll(/(?:src|href)="\/?web\//g)].length).toBeGreaterThan(0);
  });

  it('refuses names that are not page files, and other methods, as problem+json', async () => {
    for (const path of ['/web/nothing.js', '/web/..%2Fpackage.json', '/web/..%2F..%2Fpackage.json', '/web/INDEX.HTML', '/web/a.json']) {
      const response = await api(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    const post = await api('/', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(post.status).toBe(405);
    expect(post.headers.get('content-type')).toBe('application/problem+json');
  });
});
