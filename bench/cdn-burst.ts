import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { type LocalService, startLocalService } from '../bin/local/local-service.js';
import { cacheSeconds } from '../functions/http/cache-policy.js';
import { CachingProxy, type OriginAnswer } from '../harness/caching-proxy.js';
import { type BenchDynamo, localClient } from './bench-store.js';

/**
 * How many origin requests a burst of readers causes through a shared cache that honours
 * the API's headers (harness/caching-proxy.ts: max-age, stale-while-revalidate, immutable,
 * no-store/private, If-None-Match revalidation, one origin request per key in flight),
 * against the local server (the Lambdas' controllers) on the bench's DynamoDB Local, in
 * tables of its own. Time is virtual: readers and appends are placed on a simulated clock,
 * so the counts are the same on any machine and at any load (issue 13, item 1).
 */
export interface CdnBurstRow {
  scenario: string;
  kind: 'live' | 'settled' | 'private';
  reads: number;
  /** Distinct URLs read, and the burst's length on the virtual clock. */
  urls: number;
  seconds: number;
  originRequests: number;
  notModified: number;
  /** Reads served without waiting for the origin (fresh or stale). */
  hitRatio: number;
  stale: number;
  /**
   * What the headers allow: a live URL is fetched once, then revalidated at most once per
   * max-age (⌈seconds / max-age⌉ per URL); a settled one once (immutable); a private read
   * never comes from the shared cache (every read).
   */
  allowedOriginRequests: number;
  /** How far behind a reader was: versions, and seconds after the next version landed. */
  maxVersionsBehind: number;
  maxLagSeconds: number;
  /** The virtual time between waves of readers (the lag's resolution). */
  waveSeconds: number;
}

export interface CdnBurstFigures {
  readersPerWave: number;
  appends: number;
  maxAgeSeconds: number;
  staleSeconds: number;
  rows: CdnBurstRow[];
}

const wavesPerSlot = 10;
const slots = 10; // one append lands at the start of each slot: 10 appends in all

const assessment = (n: number) => ({
  type: 'progress.assessed',
  reportedAt: new Date(Date.UTC(2025, 0, 14, 10, n)).toISOString(),
  source: { name: 'Reuters' },
  data: { assessment: 'some_progress', by: `Mediator ${n}` },
});

const originOf =
  (target: LocalService, token?: string) =>
  async (url: string, headers: Record<string, string>): Promise<OriginAnswer> => {
    const response = await fetch(`${target.url}${url}`, {
      headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  };

/**
 * Four bursts, each through a fresh cache: readers of the current status over 5 s and over
 * 60 s while 10 appends land (one at the start of each tenth of the time), reads of past
 * versions (atVersion 1..head) over 5 s, and readers of the current status when reads need
 * a token. `readersPerWave` readers at a time, 100 waves a burst.
 */
export async function cdnBurstBench(dynamo: BenchDynamo, options: { readersPerWave: number }): Promise<CdnBurstFigures> {
  const { readersPerWave } = options;
  const suffix = randomUUID().slice(0, 8);
  const tableNames = { events: `bench-cdn-events-${suffix}`, state: `bench-cdn-state-${suffix}`, feed: `bench-cdn-feed-${suffix}` };
  const quiet = () => {};
  const connection = { dynamoEndpoint: dynamo.endpoint, dynamoCredentials: dynamo.credentials, tableNames, log: quiet };
  const service = await startLocalService({ port: 0, ...connection });
  const closed = await startLocalService({ port: 0, ...connection, readsPublic: false }).catch(async (error: unknown) => {
    await service.stop();
    throw error;
  });
  const talksId = `burst-${suffix}`;
  let version = 0;
  const append = async (body: unknown) => {
    const response = await fetch(`${service.url}/talks/${talksId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`append: ${response.status} ${await response.text()}`);
    version += 1;
  };

  const statusBurst = async (scenario: string, proxy: CachingProxy, clock: { t: number }, kind: 'live' | 'private', waveMs: number) => {
    // Appends land during the live bursts only.
    const withAppends = kind === 'live';
    let head = version;
    // When each version landed, on the virtual clock: a reader is late from the next one's landing.
    const landedAt = new Map<number, number>();
    let maxBehind = 0;
    let maxLagMs = 0;
    for (let slot = 0; slot < slots; slot += 1) {
      if (withAppends) {
        await append(assessment(version));
        head = version;
        landedAt.set(version, slot * wavesPerSlot * waveMs);
      }
      for (let wave = 0; wave < wavesPerSlot; wave += 1) {
        clock.t = (slot * wavesPerSlot + wave) * waveMs;
        const served = await Promise.all(Array.from({ length: readersPerWave }, () => proxy.get(`/talks/${talksId}`)));
        for (const answer of served) {
          if (answer.status !== 200) throw new Error(`status read: ${answer.status}`);
          const seen = (JSON.parse(answer.body) as { version: number }).version;
          maxBehind = Math.max(maxBehind, head - seen);
          const next = landedAt.get(seen + 1);
          if (next !== undefined) maxLagMs = Math.max(maxLagMs, clock.t - next);
        }
        // Background revalidations finish before the next wave.
        await proxy.settle();
      }
    }
    const c = proxy.counts;
    const seconds = (slots * wavesPerSlot * waveMs) / 1000;
    const isPrivate = kind === 'private';
    return {
      scenario,
      kind,
      reads: c.reads,
      urls: 1,
      seconds,
      originRequests: c.originRequests,
      notModified: c.notModified,
      hitRatio: (c.fresh + c.stale) / c.reads,
      stale: c.stale,
      allowedOriginRequests: isPrivate ? c.reads : Math.ceil(seconds / cacheSeconds.live),
      maxVersionsBehind: maxBehind,
      maxLagSeconds: maxLagMs / 1000,
      waveSeconds: waveMs / 1000,
    } satisfies CdnBurstRow;
  };

  const pastBurst = async (proxy: CachingProxy, clock: { t: number }, head: number): Promise<CdnBurstRow> => {
    const waveMs = 50;
    for (let wave = 0; wave < slots * wavesPerSlot; wave += 1) {
      clock.t = wave * waveMs;
      const base = wave * readersPerWave;
      const served = await Promise.all(
        Array.from({ length: readersPerWave }, (_, k) => proxy.get(`/talks/${talksId}?atVersion=${((base + k) % head) + 1}`)),
      );
      for (const answer of served) if (answer.status !== 200) throw new Error(`atVersion read: ${answer.status}`);
    }
    const c = proxy.counts;
    return {
      scenario: `reads of atVersion 1..${head} over 5 s`,
      kind: 'settled',
      reads: c.reads,
      urls: Math.min(head, c.reads),
      seconds: (slots * wavesPerSlot * waveMs) / 1000,
      originRequests: c.originRequests,
      notModified: c.notModified,
      hitRatio: (c.fresh + c.stale) / c.reads,
      stale: c.stale,
      allowedOriginRequests: Math.min(head, c.reads),
      maxVersionsBehind: 0,
      maxLagSeconds: 0,
      waveSeconds: waveMs / 1000,
    };
  };

  const rows: CdnBurstRow[] = [];
  try {
    await append({
      type: 'talks.opened',
      reportedAt: '2025-01-13T09:00:00Z',
      source: { name: 'Reuters' },
      data: { title: 'Burst talks', parties: ['A', 'B'], mediators: ['C'] },
    });
    const readers = slots * wavesPerSlot * readersPerWave;
    for (const [seconds, waveMs] of [
      [5, 50],
      [60, 600],
    ] as const) {
      const clock = { t: 0 };
      const proxy = new CachingProxy(originOf(service), () => clock.t);
      rows.push(
        await statusBurst(`${readers} readers of the current status over ${seconds} s, 10 appends landing`, proxy, clock, 'live', waveMs),
      );
    }
    const past = { t: 0 };
    rows.push(await pastBurst(new CachingProxy(originOf(service), () => past.t), past, version));
    const priv = { t: 0 };
    rows.push(
      await statusBurst(
        `${readers} readers of the current status over 5 s, reads need a token`,
        new CachingProxy(originOf(closed, closed.token), () => priv.t),
        priv,
        'private',
        50,
      ),
    );
  } finally {
    await closed.stop();
    await service.stop();
    const client = localClient(dynamo);
    for (const name of Object.values(tableNames)) await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
    client.destroy();
  }
  return { readersPerWave, appends: slots * 2, maxAgeSeconds: cacheSeconds.live, staleSeconds: cacheSeconds.liveStale, rows };
}
