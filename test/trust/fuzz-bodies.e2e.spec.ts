import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  deepNesting,
  duplicatedKey,
  edgeNumbers,
  type HostileBody,
  hugeBody,
  invalidUtf8,
  labelled,
  mutatedEvent,
  oddBatch,
  oddUnicode,
  wrongMediaType,
} from './support/hostile-bodies.js';
import { closeAgent, problemViolation, type RawResponse, send } from './support/raw-http.js';
import { checkTalks, type Fingerprint, fingerprint, opening, startTrustService, type TrustService } from './support/trust-service.js';

/**
 * Hostile bodies over real HTTP against the local server: whatever is sent, the answer is
 * never a 5xx, a refusal is always problem+json naming the problem, and a refused request
 * leaves every table exactly as it was. Accepted ones must leave a log that still verifies
 * and a status equal to its replay (odd Unicode and edge numbers are accepted when valid).
 */
const talksId = 'fuzz-bodies';
let trust: TrustService;
let stored: Fingerprint;
const tried = new Map<string, number>();
const outcomes = new Map<number, number>();

beforeAll(async () => {
  trust = await startTrustService();
  expect((await trust.post(talksId, opening())).status).toBe(201);
  stored = await fingerprint(trust.store, [talksId]);
});
// Each property starts from what is stored, so one failure does not cascade into the next.
beforeEach(async () => {
  stored = await fingerprint(trust.store, [talksId]);
});

afterAll(async () => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  // The count the issue asks to record; printed so CI logs carry it.
  console.log(
    `fuzz-bodies: ${total} requests (${[...tried].map(([k, n]) => `${k} ${n}`).join(', ')}); statuses ${JSON.stringify(Object.fromEntries(outcomes))}`,
  );
  closeAgent();
  await trust?.service.stop();
});

async function exercise(kind: string, hostile: HostileBody): Promise<RawResponse> {
  const response = await send(trust.service.port, {
    method: 'POST',
    path: `/talks/${talksId}/events`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${trust.service.token}`, ...hostile.headers },
    body: hostile.body,
  });
  tried.set(kind, (tried.get(kind) ?? 0) + 1);
  outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1);
  const violation = problemViolation(response);
  if (violation !== undefined) throw new Error(`${hostile.label}: ${violation}`);
  expect(hostile.allowed, `${hostile.label} answered ${response.status}: ${response.body.slice(0, 300)}`).toContain(response.status);
  if (response.status >= 400) {
    expect(await fingerprint(trust.store, [talksId]), `${hostile.label} changed the store`).toEqual(stored);
  } else {
    // Accepted: it must have been stored faithfully (hashes verify after the round trip).
    await checkTalks(trust.store, talksId);
    stored = await fingerprint(trust.store, [talksId]);
  }
  return response;
}

const property = (kind: string, arbitrary: fc.Arbitrary<HostileBody>, numRuns: number) =>
  fc.assert(
    fc.asyncProperty(arbitrary.map(labelled), async (hostile) => void (await exercise(kind, hostile))),
    { numRuns },
  );

describe('hostile bodies on POST /talks/{talksId}/events', () => {
  it('wrong types, missing and extra fields', () => property('mutated', mutatedEvent, 500), 600_000);

  it('batches of the wrong shape or size', () => property('batch', oddBatch, 120), 300_000);

  it('odd Unicode and control characters: refused or stored faithfully', () => property('unicode', oddUnicode, 250), 300_000);

  it('numbers at the edges: refused or stored faithfully, never a storage error', () => property('numbers', edgeNumbers, 150), 300_000);

  it('duplicated keys: 400 naming the key', async () => {
    await fc.assert(
      fc.asyncProperty(duplicatedKey.map(labelled), async (hostile) => {
        const response = await exercise('duplicated', hostile);
        const problem = JSON.parse(response.body) as { errors?: { field: string; message: string }[] };
        expect(problem.errors?.[0]).toEqual({ field: hostile.duplicated, message: expect.stringContaining('duplicated key') });
      }),
      { numRuns: 150 },
    );
  }, 300_000);

  it('deeply nested bodies', () => property('nesting', deepNesting, 80), 300_000);

  it('invalid UTF-8', () => property('utf-8', invalidUtf8, 120), 300_000);

  it('wrong content types, charsets and encodings', () => property('media-type', wrongMediaType, 120), 300_000);

  it('huge bodies', () => property('huge', hugeBody, 12), 300_000);

  it('the log of the fuzzed talks is still whole, and readable over HTTP', async () => {
    const { versions } = await checkTalks(trust.store, talksId);
    const response = await fetch(`${trust.service.url}/talks/${talksId}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { version: number }).version).toBe(versions);
  });
});
