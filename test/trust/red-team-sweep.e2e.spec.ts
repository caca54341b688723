import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../bin/local/local-auth.js';
import { edgeNumbers, type HostileBody, mutatedEvent, oddBatch, oddUnicode, wrongMediaType } from './support/hostile-bodies.js';
import { closeAgent, send } from './support/raw-http.js';
import { assessment, checkTalks, fingerprint, opening, startTrustService, type TrustService } from './support/trust-service.js';

/**
 * The red team's sweep, repeated for the closing note of issue 11: many requests of each
 * kind against a local server, counting what the issue promises stays at zero. For every
 * request refused, both tables are fingerprinted before and after it (nothing may change);
 * every development a writer was told is stored must be in the log, once. Counts only: no
 * timing is asserted (the slow clients are cut off by the server's own, small, timeouts).
 */
const timeouts = { headersMs: 1_000, requestMs: 3_000, bodyIdleMs: 1_000, keepAliveMs: 1_000 };

interface Tally {
  requests: number;
  statuses: Record<number, number>;
  fiveHundreds: number;
  /** Refused (4xx, or a connection the server cut) yet the tables changed. */
  changedAfterRefusal: number;
}
const tallies = new Map<string, Tally>();
const tally = (kind: string): Tally => {
  let t = tallies.get(kind);
  if (t === undefined) {
    t = { requests: 0, statuses: {}, fiveHundreds: 0, changedAfterRefusal: 0 };
    tallies.set(kind, t);
  }
  return t;
};
const count = (kind: string, status: number) => {
  const t = tally(kind);
  t.requests += 1;
  t.statuses[status] = (t.statuses[status] ?? 0) + 1;
  if (status >= 500) t.fiveHundreds += 1;
};
let eventsLost = 0;
let writersAccepted = 0;

let trust: TrustService;
let talksId: string;
const known: string[] = [];
beforeAll(async () => {
  trust = await startTrustService({ timeouts });
  talksId = `sweep-${randomUUID().slice(0, 8)}`;
  known.push(talksId);
  expect((await trust.post(talksId, opening())).status).toBe(201);
});
afterAll(async () => {
  closeAgent();
  await trust?.service.stop();
  const rows = [...tallies].map(
    ([kind, t]) =>
      `| ${kind} | ${t.requests} | ${Object.entries(t.statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')} | ${t.fiveHundreds} | ${t.changedAfterRefusal} |`,
  );
  const total = [...tallies.values()].reduce((sum, t) => sum + t.requests, 0);
  console.log(
    [
      'red-team sweep (issue 11 closing note)',
      '| kind | requests | answers | 5xx | state changes after refusal |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      `total ${total} requests; events lost ${eventsLost}; concurrent writers' developments accepted ${writersAccepted}`,
    ].join('\n'),
  );
});

/** Sends one request and checks, when it was refused, that neither table changed. */
async function probe(kind: string, request: () => Promise<number>): Promise<number> {
  const before = await fingerprint(trust.store, known);
  const status = await request();
  count(kind, status);
  if (status >= 400 || status === 0) {
    const after = await fingerprint(trust.store, known);
    if (JSON.stringify(after) !== JSON.stringify(before)) tally(kind).changedAfterRefusal += 1;
  }
  return status;
}

const post = (path: string, body: Buffer | string, headers: Record<string, string>) =>
  send(trust.service.port, { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body }).then(
    (r) => r.status,
  );
const write = (headers: Record<string, string>, body: unknown = assessment()) =>
  post(`/talks/${talksId}/events`, JSON.stringify(body), headers);

describe('the red-team sweep', () => {
  it('writes without a token, with bad tokens and with the wrong scope are refused, changing nothing', async () => {
    const other = await createLocalAuth(undefined);
    const [valid, readOnly, writeOnly, expired, foreign, noExp, objectSub, futureIat] = await Promise.all([
      trust.service.auth.issueToken(),
      trust.service.auth.issueToken({ scopes: ['talks/read'] }),
      trust.service.auth.issueToken({ scopes: ['talks/write'] }),
      trust.service.auth.issueToken({ expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      other.issueToken(),
      trust.service.auth.issueToken({ expiresIn: null }),
      trust.service.auth.issueToken({ claims: { sub: { id: 'x' } } }),
      trust.service.auth.issueToken({ claims: { iat: Math.floor(Date.now() / 1000) + 86_400 } }),
    ]);
    const [head, payload, signature] = valid.split('.') as [string, string, string];
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const tampered = `${head}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const bad = [expired, foreign, noExp, objectSub, futureIat, none, tampered, 'garbage', `${valid}x`, ''];
    for (let i = 0; i < 100; i += 1) {
      await probe('no token', () => write({}));
      await probe('bad token', () => write({ authorization: `Bearer ${bad[i % bad.length]}` }));
      await probe('wrong scope', () => write({ authorization: `Bearer ${readOnly}` }));
      if (i % 10 === 0)
        await probe('wrong scope', () =>
          send(trust.service.port, {
            method: 'GET',
            path: `/talks/${talksId}/audit`,
            headers: { authorization: `Bearer ${writeOnly}` },
          }).then((r) => r.status),
        );
    }
    for (const kind of ['no token', 'bad token']) expect(Object.keys(tally(kind).statuses)).toEqual(['401']);
    expect(Object.keys(tally('wrong scope').statuses)).toEqual(['403']);
  }, 300_000);

  it('hostile bodies: never a 5xx, and a refused one changes nothing', async () => {
    const arbitraries: [string, fc.Arbitrary<HostileBody>][] = [
      ['hostile body: wrong fields', mutatedEvent],
      ['hostile body: odd batch', oddBatch],
      ['hostile body: odd Unicode', oddUnicode],
      ['hostile body: edge numbers', edgeNumbers],
      ['hostile body: media types', wrongMediaType],
    ];
    for (const [kind, arbitrary] of arbitraries) {
      for (const hostile of fc.sample(arbitrary, { numRuns: 60, seed: 11 })) {
        await probe(kind, () =>
          post(`/talks/${talksId}/events`, hostile.body, { authorization: `Bearer ${trust.service.token}`, ...hostile.headers }),
        );
      }
    }
    for (const [kind] of arbitraries) expect({ kind, ...tally(kind) }).toMatchObject({ kind, fiveHundreds: 0, changedAfterRefusal: 0 });
  }, 300_000);

  it('oversize bodies: 413, never a 5xx, nothing stored', async () => {
    const big = JSON.stringify({ ...assessment(), data: { assessment: 'some_progress', by: 'x'.repeat(1_100_000) } });
    for (let i = 0; i < 20; i += 1)
      await probe('oversize', () => write({ authorization: `Bearer ${trust.service.token}` }, JSON.parse(big)));
    expect(Object.keys(tally('oversize').statuses)).toEqual(['413']);
  }, 120_000);

  it('slow clients (headers or body trickled) are cut off and change nothing', async () => {
    const slow = (partial: string) =>
      new Promise<number>((resolve) => {
        const socket = connect(trust.service.port, '127.0.0.1');
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
        socket.on('error', () => {});
        socket.once('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0)));
        socket.once('connect', () => socket.write(partial));
      });
    const headers = `POST /talks/${talksId}/events HTTP/1.1\r\nHost: local\r\nAuthorization: Bearer ${trust.service.token}\r\n`;
    const body = `${headers}Content-Type: application/json\r\nContent-Length: 400\r\n\r\n{"type":"progress.assessed"`;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => probe(i % 2 === 0 ? 'slow headers' : 'slow body', () => slow(i % 2 === 0 ? headers : body))),
    );
    for (const kind of ['slow headers', 'slow body'])
      expect({ kind, ...tally(kind) }).toMatchObject({ kind, fiveHundreds: 0, changedAfterRefusal: 0 });
  }, 120_000);

  it('50 concurrent writers on one talks: every development accepted, none lost or stored twice', async () => {
    const hot = `sweep-hot-${randomUUID().slice(0, 6)}`;
    expect((await trust.post(hot, opening())).status).toBe(201);
    const ids = Array.from({ length: 100 }, () => randomUUID());
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async (_, w) => {
        const mine: number[] = [];
        for (const eventId of ids.slice(w * 2, w * 2 + 2)) mine.push((await trust.post(hot, assessment(`Writer ${w}`, eventId))).status);
        return mine;
      }),
    );
    for (const s of statuses.flat()) count('concurrent writers', s);
    writersAccepted = statuses.flat().filter((s) => s === 201).length;
    // And every one resent at once: replays only.
    const resent = await Promise.all(ids.map((eventId, i) => trust.post(hot, assessment(`Writer ${Math.floor(i / 2)}`, eventId))));
    for (const r of resent) count('concurrent resends', r.status);
    const { eventIds } = await checkTalks(trust.store, hot);
    eventsLost = ids.filter((id) => !eventIds.includes(id)).length;
    expect({ writersAccepted, eventsLost, stored: eventIds.length - 1 }).toEqual({ writersAccepted: 100, eventsLost: 0, stored: 100 });
    expect(new Set(resent.map((r) => r.status))).toEqual(new Set([200]));
    await checkTalks(trust.store, talksId);
  }, 300_000);
});
