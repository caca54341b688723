import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalService } from '../../bin/local/local-service.js';
import { corsPolicy } from '../../functions/http/cors-policy.js';
import { startTestService } from '../support/local-test-service.js';

/**
 * A browser app on another origin (a newsroom's own page) against the local server started
 * with --cors-origin: preflights answered before any route or token check, as the HTTP API
 * does with the stack's corsOrigins; the headers on every answer to an allowed origin only.
 */
const allowed = 'https://news.example';
let open: LocalService;
let closed: LocalService;

beforeAll(async () => {
  open = await startTestService('cors', {
    corsOrigins: [allowed],
  });
  // Handler modules load once per process: a second server in it serves the same tables.
  closed = await startTestService('cors', {
    tableNames: open.tableNames,
  });
});
afterAll(async () => {
  await open?.stop();
  await closed?.stop();
});

const preflight = (service: LocalService, origin: string) =>
  fetch(`${service.url}/talks/cors-talks/events`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,if-match' },
  });

describe('cross-origin calls', () => {
  it('answers a preflight from an allowed origin without a token, with the shared policy', async () => {
    const response = await preflight(open, allowed);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toEqual([...corsPolicy.allowMethods]);
    expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'if-match']),
    );
    expect(response.headers.get('access-control-max-age')).toBe(String(corsPolicy.maxAgeSeconds));
    expect(response.headers.get('vary')).toBe('origin');
  });

  it('lets the browser read the answer and its ETag, Location and Retry-After, refusals included', async () => {
    const created = await fetch(`${open.url}/talks/cors-talks/events`, {
      method: 'POST',
      headers: { origin: allowed, authorization: `Bearer ${open.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'talks.opened',
        reportedAt: '2025-01-13T09:00:00Z',
        source: { name: 'Reuters' },
        data: { title: 'CORS talks', parties: ['A', 'B'], mediators: ['C'] },
      }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(created.headers.get('access-control-expose-headers')?.split(',')).toEqual([...corsPolicy.exposeHeaders]);
    const status = await fetch(`${open.url}/talks/cors-talks`, { headers: { origin: allowed } });
    expect(status.status).toBe(200);
    expect(status.headers.get('etag')).toBe('"1"');
    expect(status.headers.get('access-control-allow-origin')).toBe(allowed);
    const refused = await fetch(`${open.url}/talks/cors-talks/events`, {
      method: 'POST',
      headers: { origin: allowed, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('gives another origin nothing to read: no CORS header, preflight or not', async () => {
    const stranger = 'https://news.example.evil.test';
    const response = await preflight(open, stranger);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
    const read = await fetch(`${open.url}/talks/cors-talks`, { headers: { origin: stranger } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is off unless configured: same-origin only', async () => {
    const response = await preflight(closed, allowed);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${closed.url}/talks`, { headers: { origin: allowed } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});
