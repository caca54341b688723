import { startLocalService } from '../bin/local/local-service.js';
import type { FeedChange } from '../functions/feed/feed-change.js';
import { startReceiver } from '../test/support/webhook-receiver.js';
import { writeFeedSection } from './results-file.js';

/**
 * `npx tsx bench/webhook-latency.ts [appends]`: delivery latency on the local server, from the
 * append's 201 to (a) the consumer handing the change to its sinks (what a live page gets
 * from the feed) and (b) a webhook receiver verifying it (standardwebhooks). One append at a
 * time, each waited for, so the figures are the path's latency, not a queue's. Wall-clock:
 * they depend on the machine (and on DynamoDB Local's stream, polled every 200 ms idle), so
 * they are recorded here, never asserted in a test. Writes its table into bench/RESULTS-feed.md
 * (section "Feed latency", replaced on each run).
 */
const appends = Number(process.argv[2] ?? 40);
const handedOver = new Map<string, number>();
const sink = {
  name: 'bench',
  async deliver(change: FeedChange) {
    if (!handedOver.has(`${change.talksId}/${change.version}`)) handedOver.set(`${change.talksId}/${change.version}`, performance.now());
  },
};
const receiver = await startReceiver();
const service = await startLocalService({ port: 0, allowPrivateWebhooks: true, feedSinks: [sink] });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${service.token}` };
const subscribed = (await (
  await fetch(`${service.url}/subscriptions`, { method: 'POST', headers, body: JSON.stringify({ url: `${receiver.url}/bench` }) })
).json()) as { secret: string };
receiver.secrets.set('/bench', subscribed.secret);

const talksId = `latency-${Date.now().toString(36)}`;
const body = (version: number) =>
  version === 1
    ? { type: 'talks.opened', reportedAt: '2025-01-13T12:00:00Z', source: { name: 'Bench' }, data: { title: 'Bench', parties: ['A', 'B'] } }
    : {
        type: 'progress.assessed',
        reportedAt: '2025-01-14T10:00:00Z',
        source: { name: 'Bench' },
        data: { assessment: 'some_progress', by: 'A' },
      };

const toSink: number[] = [];
const toWebhook: number[] = [];
const wait = async (done: () => boolean) => {
  const until = performance.now() + 60_000;
  while (!done()) {
    if (performance.now() > until) throw new Error('no delivery within 60 s');
    await new Promise((r) => setTimeout(r, 2));
  }
};
for (let version = 1; version <= appends; version += 1) {
  const response = await fetch(`${service.url}/talks/${talksId}/events`, { method: 'POST', headers, body: JSON.stringify(body(version)) });
  const appended = performance.now();
  if (response.status !== 201) throw new Error(`append ${version}: ${response.status} ${await response.text()}`);
  await wait(() => receiver.received.some((r) => r.body.talksId === talksId && r.body.version === version));
  toWebhook.push(performance.now() - appended);
  toSink.push((handedOver.get(`${talksId}/${version}`) ?? Number.NaN) - appended);
}
await service.stop();
await receiver.close();
if (receiver.unverified.length > 0) throw new Error(`unverified deliveries: ${receiver.unverified.join('; ')}`);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const row = (what: string, values: number[]) =>
  `| ${what} | ${quantile(values, 0.5).toFixed(0)} | ${quantile(values, 0.9).toFixed(0)} | ${Math.max(...values).toFixed(0)} |`;
const section = `<!-- feed-latency:start -->
## Feed latency (bench/webhook-latency.ts, ${new Date().toISOString().slice(0, 10)})

Local server, ${appends} appends one at a time, each waited for; from the append's 201 (ms):

| to | median | p90 | max |
| --- | --- | --- | --- |
${row('the consumer handing the change to its sinks (the live path)', toSink)}
${row('a webhook receiver, signature verified', toWebhook)}

Wall-clock on a shared machine: DynamoDB Local's stream is polled every 200 ms when idle, so
about 100 ms of the median is that wait. On AWS the event source mapping adds its own batching
window (1 s, lib/talks-feed.ts) and SQS FIFO a hop.
<!-- feed-latency:end -->`;
writeFeedSection('feed-latency', section);
console.log(section);
