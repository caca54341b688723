import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type HostileRequest,
  headerTrick,
  labelledRequest,
  malformedBytes,
  pathTrick,
  queryTrick,
  strayPath,
} from './support/hostile-requests.js';
import { closeAgent, problemViolation, type RawResponse, send, sendBytes } from './support/raw-http.js';
import {
  assessment,
  checkTalks,
  type Fingerprint,
  fingerprint,
  opening,
  startTrustService,
  type TrustService,
} from './support/trust-service.js';

/**
 * Hostile request lines, paths, query strings and headers over real HTTP: never a 5xx,
 * every refusal problem+json, nothing stored by a refused request, and nothing stored
 * anywhere but in the talks the path names.
 */
const talksId = 'fuzz-req';
const other = 'fuzz-other';
let trust: TrustService;
let stored: Fingerprint;
const tried = new Map<string, number>();
const outcomes = new Map<number, number>();

beforeAll(async () => {
  trust = await startTrustService();
  for (const id of [talksId, other]) expect((await trust.post(id, opening())).status).toBe(201);
  expect((await trust.post(talksId, assessment())).status).toBe(201);
});
beforeEach(async () => {
  stored = await fingerprint(trust.store, [talksId, other]);
});
afterAll(async () => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  console.log(
    `fuzz-requests: ${total} requests (${[...tried].map(([k, n]) => `${k} ${n}`).join(', ')}); statuses ${JSON.stringify(Object.fromEntries(outcomes))}`,
  );
  closeAgent();
  await trust?.service.stop();
});

async function settle(kind: string, label: string, method: string, response: RawResponse): Promise<RawResponse> {
  tried.set(kind, (tried.get(kind) ?? 0) + 1);
  outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1);
  const violation = problemViolation(response);
  if (violation !== undefined) throw new Error(`${label}: ${violation}`);
  const now = await fingerprint(trust.store, [talksId, other]);
  if (response.status >= 300 || method !== 'POST') {
    expect(now, `${label} (${response.status}) changed the store`).toEqual(stored);
  } else {
    // Accepted: exactly one development, in the talks the path names, stored faithfully.
    expect(now.events).toBe(stored.events + 2);
    expect(now.heads[other]).toEqual(stored.heads[other]);
    expect(now.heads[talksId]?.version).toBe((stored.heads[talksId]?.version ?? 0) + 1);
    await checkTalks(trust.store, talksId);
    stored = now;
  }
  return response;
}

const exercise = (kind: string) => async (request: HostileRequest) =>
  void (await settle(kind, request.label, request.method, await send(trust.service.port, request)));

const property = (kind: string, arbitrary: fc.Arbitrary<HostileRequest>, numRuns: number) =>
  fc.assert(fc.asyncProperty(arbitrary.map(labelledRequest), exercise(kind)), { numRuns });

describe('hostile requests', () => {
  it('path tricks in talksId on every route and method', () => property('path', pathTrick(trust.service.token, talksId), 600), 300_000);

  it('paths that are no route', () => property('stray', strayPath, 100), 300_000);

  it(
    'bad, repeated and unknown query parameters and cursors',
    () => property('query', queryTrick(trust.service.token, talksId), 500),
    60_000,
  );

  it(
    'bad If-Match, If-None-Match and Authorization headers',
    () => property('header', headerTrick(trust.service.token, talksId), 400),
    60_000,
  );

  it('malformed HTTP: problem+json from the server itself, and it keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(malformedBytes, async ({ label, bytes }) => {
        const response = await settle('malformed', label, 'RAW', await sendBytes(trust.service.port, bytes));
        expect(response.status, label).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 60 },
    );
    expect((await fetch(`${trust.service.url}/talks/${talksId}`)).status).toBe(200);
  }, 300_000);

  it('a refused write names why: the talks id, the version, the token', async () => {
    const cases: [HostileRequest, number, string][] = [
      [
        {
          label: 'encoded slash',
          method: 'POST',
          path: '/talks/..%2Fx/events',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${trust.service.token}` },
          body: '{}',
        },
        400,
        'talksId',
      ],
      [
        {
          label: 'stale',
          method: 'POST',
          path: `/talks/${talksId}/events`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${trust.service.token}`, 'if-match': '"1"' },
          body: JSON.stringify(assessment()),
        },
        409,
        'version',
      ],
      [
        {
          label: 'no token',
          method: 'POST',
          path: `/talks/${talksId}/events`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(assessment()),
        },
        401,
        'token',
      ],
    ];
    for (const [request, status, word] of cases) {
      const response = await send(trust.service.port, request);
      expect({ label: request.label, status: response.status }).toEqual({ label: request.label, status });
      expect(response.body).toContain(word);
    }
    expect(await fingerprint(trust.store, [talksId, other])).toEqual(stored);
  });
});
