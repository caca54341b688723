import { startLocalService } from '../bin/local/local-service.js';
import { createDocumentClient } from '../functions/composition/runtime.js';
import { FeedConsumer } from '../functions/feed/feed-consumer.js';
import { checkpointKeys } from '../functions/signing/checkpoint-keys.js';
import { freshKeySigner } from '../functions/signing/key-signer.js';
import { readLog } from '../functions/store/read-log.js';
import { statusAtVersion } from '../functions/store/time-travel.js';
import { meterDynamoDb } from '../harness/dynamodb-meter.js';
import { writeFeedSection } from './results-file.js';

/**
 * `npx tsx bench/feed-summary-cost.ts`: what the consumer's status summary costs per event,
 * in DynamoDB round trips and capacity units (counts, the same on any machine): the
 * checkpoint fold (read the checkpoint, fold in memory, write it back) against reading the
 * status at each version by the replay policy (nearest snapshot plus the events after it).
 * Live flow: one event per stream batch. Writes bench/RESULTS-feed.md section "Feed summary cost".
 */
const events = 100;
const service = await startLocalService({ port: 0 });
await service.feed.stop();
const headers = { 'content-type': 'application/json', authorization: `Bearer ${service.token}` };
const talksId = `cost-${Date.now().toString(36)}`;
for (let v = 1; v <= events; v += 1) {
  const body =
    v === 1
      ? {
          type: 'talks.opened',
          reportedAt: '2025-01-13T12:00:00Z',
          source: { name: 'Bench' },
          data: { title: 'Bench', parties: ['A', 'B'] },
        }
      : {
          type: 'progress.assessed',
          reportedAt: '2025-01-14T10:00:00Z',
          source: { name: 'Bench' },
          data: { assessment: 'some_progress', by: 'A' },
        };
  const r = await fetch(`${service.url}/talks/${talksId}/events`, { method: 'POST', headers, body: JSON.stringify(body) });
  if (r.status !== 201) throw new Error(`append ${v}: ${r.status}`);
}
const doc = createDocumentClient({ endpoint: service.dynamoEndpoint, credentials: service.dynamoCredentials });
const meter = meterDynamoDb(doc, { capacity: true });
const store = {
  tables: { events: service.tableNames.events, state: service.tableNames.state },
  doc,
  snapshotInterval: 50,
  maxAppendAttempts: 40,
  now: () => new Date(),
  newId: () => '',
  checkpoints: checkpointKeys(freshKeySigner),
};
const log = await readLog(store, talksId);
const consumer = new FeedConsumer({
  store,
  feed: { doc, table: service.tableNames.feed, now: () => new Date() },
  sinks: [],
  name: 'bench',
});
meter.reset();
for (const event of log) await consumer.consume([event]);
const fold = { trips: meter.total() / events, units: meter.units() / events };
meter.reset();
for (const event of log) await statusAtVersion(store, talksId, event.version);
const atVersion = { trips: meter.total() / events, units: meter.units() / events, items: meter.itemsRead() / events };
doc.destroy();
await service.stop();

const section = `<!-- feed-summary:start -->
## Feed summary cost (bench/feed-summary-cost.ts, ${new Date().toISOString().slice(0, 10)})

The status summary after each of ${events} events, one event per stream batch, per event:

| how | round trips | capacity units |
| --- | --- | --- |
| checkpoint fold (the consumer: read checkpoint, fold, write checkpoint with the gzipped status) | ${fold.trips.toFixed(2)} | ${fold.units.toFixed(2)} |
| status at the version by the replay policy (nearest snapshot + events after it) | ${atVersion.trips.toFixed(2)} | ${atVersion.units.toFixed(2)} (${atVersion.items.toFixed(1)} items read) |

The fold's units are one read and one write of the checkpoint, which the consumer keeps anyway
for contiguity (version and hash): the status inside it (gzipped) keeps the write at one unit,
so the summary itself adds no request. Reading the status at each version instead costs no
write but more reads, growing with the distance to the last snapshot (up to 49 events a read).
In dollars (on-demand, a write five times a read) the fold's 1 read + 1 write costs as much as
6 reads against the replay's 3.6, but that write is the checkpoint, due with or without the
summary; in a batch of n events of one talks the fold costs 2 requests in all, the replay n.
<!-- feed-summary:end -->`;
writeFeedSection('feed-summary', section);
console.log(section);
