import type { CdnBurstFigures } from './cdn-burst.js';

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The CDN burst section of bench/RESULTS.md (issue 13, item 1). */
export function cdnBurstSection(c: CdnBurstFigures): string {
  const header = [
    'scenario',
    'reads',
    'origin requests (304s)',
    'allowed by the headers',
    'without a cache',
    'hit ratio',
    'served stale',
    'reader behind: versions / s after the next landed',
  ];
  const rows = c.rows.map((r) => [
    r.scenario,
    r.reads,
    `${r.originRequests} (${r.notModified})`,
    r.allowedOriginRequests,
    r.reads,
    percent(r.hitRatio),
    r.stale,
    r.kind === 'live' ? `${r.maxVersionsBehind} / ${r.maxLagSeconds.toFixed(2)} s` : '-',
  ]);
  return `## 9. CDN burst (issue 13)
Origin requests a burst of readers causes through a shared cache that honours the API's Cache-Control and ETag (harness/caching-proxy.ts: max-age, stale-while-revalidate, immutable, no-store/private, If-None-Match revalidation, one origin request per key in flight), against the local server on the bench's DynamoDB Local. Virtual clock, so the counts do not depend on the machine: ${c.readersPerWave} readers at a time in 100 waves, evenly over 5 s or 60 s, with 10 appends at even intervals in the live bursts; the past versions are read over 5 s. The current status is \`max-age=${c.maxAgeSeconds}, stale-while-revalidate=${c.staleSeconds}\`; a version at or below the head is immutable; a read that needs a token is \`private\`.
"Allowed": one request per live URL per max-age window (⌈burst / ${c.maxAgeSeconds} s⌉), one per immutable URL, every read when private. Hit ratio: reads served without waiting for the origin (fresh or stale).

| ${header.join(' | ')} |
| ${header.map(() => '---').join(' | ')} |
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`;
}
