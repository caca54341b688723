import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { startLocalService } from '../bin/local/local-service.js';
import { liveSubprotocol, type ServerMessage } from '../functions/live/live-protocol.js';
import { writeFeedSection } from './results-file.js';
import { quantile } from './stats.js';

/**
 * `npx tsx bench/live-latency.ts [--quick]`: how long from an append (the POST sent) until
 * (a) WebSocket subscribers of the local /live endpoint get the change message, one or 50 of
 * them, and (b) the status page in Chromium shows the new version (message, re-read, render).
 * The path is the real one: DynamoDB Local's stream, the feed's consumer (its poller idles
 * 50 ms between empty reads), the hub. Appends are sequential, each awaited to the end, so
 * the figures are latencies, not throughput. Writes its table into bench/RESULTS-feed.md
 * (section "Live latency", replaced on each run); --quick prints only.
 */
const quick = process.argv.includes('--quick');
const appends = quick ? 20 : 100;
const chromiumPath = '/usr/bin/chromium';

const service = await startLocalService({ port: 0 });
const talksId = `live-bench-${Date.now().toString(36)}`;
const post = async (body: unknown) => {
  const response = await fetch(`${service.url}/talks/${talksId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`append: ${response.status} ${await response.text()}`);
};
const assessment = (n: number) => ({
  type: 'progress.assessed',
  reportedAt: new Date(Date.UTC(2025, 0, 14, 10, 0, n)).toISOString(),
  source: { name: 'Reuters' },
  data: { assessment: 'some_progress', by: `Mediator ${n}` },
});

/** Subscribers that record, per version, when its message arrived (performance.now()). */
async function subscribers(count: number) {
  const arrivals = new Map<number, number[]>();
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const ws = new WebSocket(service.live.url, [liveSubprotocol]);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const subscribed = new Promise<void>((resolve) =>
        ws.on('message', (data) => {
          const message = JSON.parse(data.toString()) as ServerMessage;
          if (message.type === 'subscriptions') resolve();
          if (message.type === 'change') arrivals.set(message.version, [...(arrivals.get(message.version) ?? []), performance.now()]);
        }),
      );
      ws.send(JSON.stringify({ action: 'subscribe', talksIds: [talksId] }));
      await subscribed;
      return ws;
    }),
  );
  return {
    arrivals,
    close: () => {
      for (const s of sockets) s.terminate();
    },
  };
}

interface Row {
  path: string;
  samples: number;
  median: number;
  p90: number;
  max: number;
}
const row = (path: string, latencies: number[]): Row => ({
  path,
  samples: latencies.length,
  median: quantile(latencies, 0.5),
  p90: quantile(latencies, 0.9),
  max: Math.max(...latencies),
});

let version = 0;
const rows: Row[] = [];
const profile = mkdtempSync(join(tmpdir(), 'talks-live-bench-'));
try {
  await post({
    type: 'talks.opened',
    reportedAt: '2025-01-13T09:00:00Z',
    source: { name: 'Reuters' },
    data: { title: 'Bench talks', parties: ['A', 'B'] },
  });
  version = 1;
  for (const count of [1, 50]) {
    const subs = await subscribers(count);
    const latencies: number[] = [];
    for (let i = 0; i < appends; i += 1) {
      const sent = performance.now();
      await post(assessment(version));
      version += 1;
      const wanted = version;
      while ((subs.arrivals.get(wanted)?.length ?? 0) < count) await new Promise((r) => setTimeout(r, 1));
      for (const at of subs.arrivals.get(wanted) ?? []) latencies.push(at - sent);
    }
    subs.close();
    rows.push(row(`append → WebSocket message, ${count} subscriber${count === 1 ? '' : 's'}`, latencies));
  }
  if (existsSync(chromiumPath)) {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${service.url}/#${talksId}`);
    await page.locator('#live-state', { hasText: 'Live' }).waitFor({ timeout: 30_000 });
    const latencies: number[] = [];
    for (let i = 0; i < appends; i += 1) {
      const sent = performance.now();
      await post(assessment(version));
      version += 1;
      await page.waitForFunction(
        (v) =>
          (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null } }).document
            .getElementById('version-output')
            ?.textContent?.startsWith(`${v} of`),
        version,
        { polling: 'raf', timeout: 30_000 },
      );
      latencies.push(performance.now() - sent);
    }
    await context.close();
    rows.push(row('append → the status page in Chromium shows it (message, re-read over HTTP, render)', latencies));
  } else process.stderr.write(`[bench] ${chromiumPath} is absent: the page row is left out\n`);
} finally {
  await service.stop();
  rmSync(profile, { recursive: true, force: true });
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const section = `<!-- live-latency:start -->
## Live latency (bench/live-latency.ts, ${new Date().toISOString().slice(0, 10)})

From the POST of an append to the change message at WebSocket subscribers of the local
\`/live\` (through DynamoDB Local's stream and the feed's consumer, whose poller waits 50 ms
after an empty read), and to the status page showing the new version in Chromium. ${appends}
sequential appends per row; on AWS the stream's own delivery (typically well under a second)
and an asynchronous Lambda invocation take the place of the poller.

| path | samples | median | p90 | max |
| --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.path} | ${r.samples} | ${ms(r.median)} | ${ms(r.p90)} | ${ms(r.max)} |`).join('\n')}
<!-- live-latency:end -->`;
process.stdout.write(`${section}\n`);
if (!quick) {
  writeFeedSection('live-latency', section);
} else process.stdout.write('(quick run: bench/RESULTS-feed.md left as it was)\n');
process.exit(0);
