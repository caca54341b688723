import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LocalService, startLocalService } from '../bin/local/local-service.js';
import { CachingProxy, type OriginAnswer } from '../harness/caching-proxy.js';

/**
 * `npx tsx bench/cdn-burst.ts`: how many origin requests a burst of readers causes through a
 * shared cache that honours the API's headers (harness/caching-proxy.ts), against the local
 * server (the Lambdas' controllers) on its own DynamoDB Local. Time is virtual: readers and
 * appends are placed on a simulated clock, so the counts are the same on any machine. Writes
 * its table into bench/RESULTS.md (section "CDN burst", replaced on each run).
 */
const readersPerWave = 10;
const wavesPerSlot = 10;
const slots = 10; // one append lands at the start of each slot: 10 appends in all

const service = await startLocalService({ port: 0 });
const closed = await startLocalService({
  port: 0,
  dynamoEndpoint: service.dynamoEndpoint,
  tableNames: service.tableNames,
  readsPublic: false,
});
const talksId = `burst-${Date.now().toString(36)}`;

async function append(body: unknown): Promise<void> {
  const response = await fetch(`${service.url}/talks/${talksId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`append: ${response.status} ${await response.text()}`);
}
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

interface Row {
  scenario: string;
  reads: number;
  originRequests: number;
  notModified: number;
  hitRatio: number;
  note: string;
}

/**
 * 1,000 readers of the current status, 10 at a time every `waveMs` (5 s in all at 50 ms,
 * 60 s at 600 ms), while 10 appends land, one at the start of each tenth of the time.
 */
async function statusBurst(label: string, proxy: CachingProxy, clock: { t: number }, withAppends: boolean, waveMs: number): Promise<Row> {
  let head = withAppends ? version : 1;
  // When each version landed, on the virtual clock: a reader is late from the next one's landing.
  const landedAt = new Map<number, number>();
  let maxBehind = 0;
  let maxLagMs = 0;
  for (let slot = 0; slot < slots; slot++) {
    if (withAppends) {
      await append(assessment(version));
      version++;
      head = version;
      landedAt.set(version, slot * wavesPerSlot * waveMs);
    }
    for (let wave = 0; wave < wavesPerSlot; wave++) {
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
  return {
    scenario: label,
    reads: c.reads,
    originRequests: c.originRequests,
    notModified: c.notModified,
    hitRatio: (c.fresh + c.stale) / c.reads,
    note: `${c.stale} served stale while revalidating; a reader at most ${maxBehind} version(s) behind, and ${(maxLagMs / 1000).toFixed(2)} s after the next version landed`,
  };
}

/** 1,000 reads of past versions (atVersion 1..head in turn) over 5 s. */
async function pastBurst(proxy: CachingProxy, clock: { t: number }, head: number): Promise<Row> {
  for (let i = 0; i < slots * wavesPerSlot * readersPerWave; i += readersPerWave) {
    clock.t = (i / readersPerWave) * 50;
    await Promise.all(Array.from({ length: readersPerWave }, (_, k) => proxy.get(`/talks/${talksId}?atVersion=${((i + k) % head) + 1}`)));
  }
  const c = proxy.counts;
  return {
    scenario: `1,000 reads of atVersion 1..${head}`,
    reads: c.reads,
    originRequests: c.originRequests,
    notModified: c.notModified,
    hitRatio: (c.fresh + c.stale) / c.reads,
    note: `one origin request per distinct version (${head}), then immutable`,
  };
}

const rows: Row[] = [];
let version = 1;
try {
  await append({
    type: 'talks.opened',
    reportedAt: '2025-01-13T09:00:00Z',
    source: { name: 'Reuters' },
    data: { title: 'Burst talks', parties: ['A', 'B'], mediators: ['C'] },
  });
  for (const [seconds, waveMs] of [
    [5, 50],
    [60, 600],
  ] as const) {
    const clock = { t: 0 };
    rows.push(
      await statusBurst(
        `1,000 readers of the current status over ${seconds} s, 10 appends landing`,
        new CachingProxy(originOf(service), () => clock.t),
        clock,
        true,
        waveMs,
      ),
    );
  }
  const head = version;
  const past = { t: 0 };
  rows.push(await pastBurst(new CachingProxy(originOf(service), () => past.t), past, head));
  const priv = { t: 0 };
  rows.push(
    await statusBurst(
      '1,000 readers of the current status over 5 s, reads need a token',
      new CachingProxy(originOf(closed, closed.token), () => priv.t),
      priv,
      false,
      50,
    ),
  );
} finally {
  await closed.stop();
  await service.stop();
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
const table = [
  '| scenario | reads | origin requests (304s) | without a cache | hit ratio | |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) => `| ${r.scenario} | ${r.reads} | ${r.originRequests} (${r.notModified}) | ${r.reads} | ${percent(r.hitRatio)} | ${r.note} |`,
  ),
].join('\n');
const section = `<!-- cdn-burst:start -->
## CDN burst (bench/cdn-burst.ts, ${new Date().toISOString().slice(0, 10)})

Origin requests a burst of readers causes through a shared cache that honours the API's
Cache-Control and ETag (harness/caching-proxy.ts: max-age, stale-while-revalidate, immutable,
no-store/private, If-None-Match revalidation, one origin request per key in flight), against
the local server. Virtual clock: 10 readers at a time, evenly over 5 s or 60 s, and 10 appends
at even intervals; the past versions are read over 5 s.
Hit ratio: reads served from the cache without waiting for the origin (fresh or stale).

${table}
<!-- cdn-burst:end -->`;
process.stdout.write(`${section}\n`);
const file = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const results = readFileSync(file, 'utf8');
const marked = /<!-- cdn-burst:start -->[\s\S]*<!-- cdn-burst:end -->/;
writeFileSync(file, marked.test(results) ? results.replace(marked, section) : `${results.trimEnd()}\n\n${section}\n`);
process.stdout.write(`Written to ${file}\n`);
