import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import type { LocalService } from '../../bin/local/local-service.js';
import { routeTable } from '../../functions/http/routes.js';
import { startTestService } from '../support/local-test-service.js';
import { componentValidators, describeErrors } from '../support/openapi-ajv.js';

// biome-ignore lint/suspicious/noExplicitAny: walking an arbitrary JSON document
type Json = Record<string, any>;
let service: LocalService;
let document: Json;
let schemaFor: ReturnType<typeof componentValidators>;
const scenario = loadScenario();
const checked = new Set<string>();

// Reads are private here, so the document must still be public and must say reads need a token.
beforeAll(async () => {
  service = await startTestService('oa', {
    readsPublic: false,
  });
  await loadDemo(service.url, service.token, scenario);
  const response = await fetch(`${service.url}/openapi.json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as Json;
  schemaFor = componentValidators(document);
});
afterAll(async () => {
  await service?.stop();
});

/**
 * Calls the API and checks the answer against the served document: the status code must be
 * documented for that operation, with that content type, and the body must match its schema.
 */
async function call(
  method: string,
  template: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const token = init.token === undefined ? service.token : init.token;
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const operation = document.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is documented`).toBeDefined();
  const documented = operation.responses[String(response.status)];
  expect(documented, `${method} ${template} answers ${response.status}, which is documented`).toBeDefined();
  checked.add(`${method} ${template} ${response.status}`);
  if (response.status === 304 || response.status === 204) return { status: response.status, body: {}, headers: response.headers };
  const contentType = response.headers.get('content-type') ?? '';
  const media = documented.content?.[contentType];
  expect(media, `${method} ${template} ${response.status} as ${contentType}`).toBeDefined();
  const body = (await response.json()) as Json;
  if (template === '/openapi.json') return { status: response.status, body, headers: response.headers };
  const validate = schemaFor(String(media.schema.$ref).split('/').at(-1)!);
  expect(validate(body) ? [] : describeErrors(validate), `${method} ${path} ${response.status}`).toEqual([]);
  return { status: response.status, body, headers: response.headers };
}

const id = scenario.talksId;

describe('GET /openapi.json on the local server', () => {
  it('serves a valid OpenAPI 3.1 document without a token, for this server, saying reads need one', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(document.servers).toEqual([{ url: service.url }]);
    expect(document.paths['/talks/{talksId}'].get.security).toEqual([{ bearerAuth: ['talks/read'] }]);
    expect((await call('GET', '/openapi.json', '/openapi.json', { token: null })).status).toBe(200);
  });
});

describe('real responses match the served document', () => {
  it('lists, reads and pages as documented', async () => {
    expect((await call('GET', '/talks', '/talks?limit=5')).body.items[0].talksId).toBe(id);
    const status = await call('GET', '/talks/{talksId}', `/talks/${id}`);
    expect(status.body.figures.length).toBeGreaterThan(0);
    expect(
      (await call('GET', '/talks/{talksId}', `/talks/${id}`, { headers: { 'if-none-match': status.headers.get('etag')! } })).status,
    ).toBe(304);
    const page = await call('GET', '/talks/{talksId}/events', `/talks/${id}/events?limit=7`);
    expect(page.body.nextAfter).toBe(7);
    await call('GET', '/talks/{talksId}/events', `/talks/${id}/events?after=7&types=statement.issued,deadline.set`);
  });

  it('time travels as documented', async () => {
    expect((await call('GET', '/talks/{talksId}', `/talks/${id}?atVersion=4`)).body.version).toBe(4);
    expect((await call('GET', '/talks/{talksId}', `/talks/${id}?asOf=${encodeURIComponent(new Date().toISOString())}`)).status).toBe(200);
    expect((await call('GET', '/talks/{talksId}', `/talks/${id}?validAt=2025-01-12T00:00:00Z`)).status).toBe(200);
    expect((await call('GET', '/talks/{talksId}', `/talks/${id}?atVersion=2&validAt=2025-01-12T00:00:00Z`)).status).toBe(400);
  });

  it('appends, replays and audits as documented', async () => {
    const talksId = `oa-${randomUUID().slice(0, 8)}`;
    const opened = {
      eventId: randomUUID(),
      type: 'talks.opened',
      reportedAt: '2025-01-13T12:00:00+02:00',
      source: { name: 'Reuters' },
      data: { title: 'Test talks', parties: ['A', 'B'] },
    };
    const statement = {
      type: 'statement.issued',
      reportedAt: '2025-01-13T13:00:00Z',
      source: { name: 'AP', anonymous: true, attribution: 'an official' },
      data: { speaker: { name: 'X', affiliation: 'A' }, stance: 'cautious', summary: 'Wait and see' },
    };
    expect(
      (await call('POST', '/talks/{talksId}/events', `/talks/${talksId}/events`, { body: { events: [opened, statement] } })).status,
    ).toBe(201);
    expect((await call('POST', '/talks/{talksId}/events', `/talks/${talksId}/events`, { body: opened })).body.outcome).toBe('replayed');
    const audit = await call('GET', '/talks/{talksId}/audit', `/talks/${talksId}/audit`);
    expect(audit.body).toMatchObject({ ok: true, checkedEvents: 2 });
    const head = `${audit.body.headVersion}:${audit.body.headHash}`;
    expect((await call('GET', '/talks/{talksId}/audit', `/talks/${talksId}/audit?expectHead=${head}`)).body.expectHead.verified).toBe(true);
  });

  it('serves checkpoints, keys and proofs as documented', async () => {
    const talksId = `oa-${randomUUID().slice(0, 8)}`;
    const opened = {
      type: 'talks.opened',
      reportedAt: '2025-01-13T12:00:00Z',
      source: { name: 'Reuters' },
      data: { title: 'T', parties: ['A'] },
    };
    const stalled = { type: 'talks.stalled', reportedAt: '2025-01-13T13:00:00Z', source: { name: 'AP' }, data: { reason: 'No reply' } };
    expect(
      (await call('POST', '/talks/{talksId}/events', `/talks/${talksId}/events`, { body: { events: [opened, stalled] } })).status,
    ).toBe(201);
    expect((await call('GET', '/talks/{talksId}/checkpoint', `/talks/${talksId}/checkpoint`)).body.treeSize).toBe(2);
    expect((await call('GET', '/talks/{talksId}/checkpoint', `/talks/${talksId}/checkpoint?treeSize=1`)).status).toBe(404);
    expect((await call('GET', '/.well-known/jwks.json', '/.well-known/jwks.json')).body.keys).toHaveLength(1);
    const inclusion = '/talks/{talksId}/proofs/inclusion';
    expect((await call('GET', inclusion, `/talks/${talksId}/proofs/inclusion?version=1&treeSize=2`)).body.path).toHaveLength(1);
    expect((await call('GET', inclusion, `/talks/${talksId}/proofs/inclusion?version=3&treeSize=2`)).status).toBe(400);
    const consistency = '/talks/{talksId}/proofs/consistency';
    expect((await call('GET', consistency, `/talks/${talksId}/proofs/consistency?from=1&to=2`)).status).toBe(200);
    expect((await call('GET', consistency, `/talks/${talksId}/proofs/consistency?from=1&to=9`)).status).toBe(404);
  });

  it('answers problems as documented', async () => {
    const opened = {
      type: 'talks.opened',
      reportedAt: '2025-01-13T12:00:00Z',
      source: { name: 'Reuters' },
      data: { title: 'Again', parties: ['A'] },
    };
    const cases: [string, string, string, Parameters<typeof call>[3], number][] = [
      ['GET', '/talks/{talksId}', '/talks/no-such-talks', {}, 404],
      ['GET', '/talks/{talksId}', '/talks/has%20space', {}, 400],
      ['GET', '/talks/{talksId}/events', `/talks/${id}/events?limit=0`, {}, 400],
      ['GET', '/talks', '/talks', { token: null }, 401],
      ['GET', '/talks/{talksId}/audit', `/talks/${id}/audit`, { token: await service.auth.issueToken({ scopes: ['talks/read'] }) }, 403],
      ['POST', '/talks/{talksId}/events', `/talks/${id}/events`, { body: opened }, 409],
      [
        'POST',
        '/talks/{talksId}/events',
        `/talks/${id}/events`,
        { body: { ...opened, type: 'progress.assessed', data: { assessment: 'breakthrough', by: 'X' } }, headers: { 'if-match': '"1"' } },
        409,
      ],
      [
        'POST',
        '/talks/{talksId}/events',
        `/talks/${id}/events`,
        {
          body: {
            type: 'report.retracted',
            reportedAt: '2025-01-13T12:00:00Z',
            source: { name: 'R' },
            data: { targetVersion: 999, reason: 'x', issuedBy: 'editor' },
          },
        },
        422,
      ],
      ['POST', '/talks/{talksId}/events', `/talks/${id}/events`, { body: { type: 'talks.opened' } }, 400],
    ];
    for (const [method, template, path, init, expected] of cases) {
      const { status, body } = await call(method, template, path, init);
      expect({ path, status }).toEqual({ path, status: expected });
      expect(body.type).toMatch(/^\/problems\/[a-z-]+$/);
    }
  });

  it('subscribes, lists deliveries and ends a subscription as documented', async () => {
    // A public address written as an IP: no DNS needed; a talks that never changes: nothing is sent.
    const created = await call('POST', '/subscriptions', '/subscriptions', {
      body: { url: 'https://93.184.215.14/hook', talksIds: [`oa-quiet-${randomUUID().slice(0, 8)}`], types: ['agreement.reached'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const path = `/subscriptions/${created.body.subscriptionId}`;
    expect((await call('GET', '/subscriptions/{subscriptionId}/deliveries', `${path}/deliveries`)).body.items).toEqual([]);
    expect((await call('POST', '/subscriptions', '/subscriptions', { body: { url: 'https://10.0.0.1/hook' } })).status).toBe(400);
    expect((await call('DELETE', '/subscriptions/{subscriptionId}', path)).status).toBe(204);
    expect((await call('DELETE', '/subscriptions/{subscriptionId}', path)).status).toBe(404);
  });

  it('exercised every route of the route table', () => {
    const routesSeen = new Set([...checked].map((c) => c.split(' ').slice(0, 2).join(' ')));
    expect([...routesSeen].sort()).toEqual(routeTable.map((r) => `${r.method} ${r.path}`).sort());
  });
});
