import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../bin/local/ensure-tables.js';
import { createDocumentClient } from '../../functions/composition/runtime.js';
import { readCheckpoint } from '../../functions/feed/checkpoints.js';
import type { FeedChange, FeedSink } from '../../functions/feed/feed-change.js';
import { FeedConsumer } from '../../functions/feed/feed-consumer.js';
import type { FeedContext } from '../../functions/feed/feed-context.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { summarize } from '../../functions/store/item-keys.js';
import { readLog } from '../../functions/store/read-log.js';
import { feedTable } from '../../functions/store/table-definitions.js';
import { statusAtVersion } from '../../functions/store/time-travel.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore, testDynamo } from '../support/test-store.js';

let store: TestStore;
let feed: FeedContext;

class RecordingSink implements FeedSink {
  readonly name = 'recording';
  readonly changes: FeedChange[] = [];
  failNext = 0;
  async deliver(change: FeedChange) {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('sink down');
    }
    this.changes.push(change);
  }
}

const assessed = (assessment = 'some_progress') => submitted('progress.assessed', { assessment, by: 'An official' });

beforeAll(async () => {
  store = await createTestStore();
  const { endpoint, credentials } = testDynamo();
  const table = `feed-${store.tables.events}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials });
  await ensureTables(client, [{ definition: feedTable, name: table }]);
  client.destroy();
  feed = { doc: createDocumentClient({ endpoint, credentials }), table, now: () => new Date() };
});

const consumerWith = (sink: FeedSink, name: string) => new FeedConsumer({ store: store.ctx, feed, sinks: [sink], name });

async function appendN(talksId: string, n: number) {
  await appendEvents(store.ctx, { talksId, events: [opened()], principal: 'alice' });
  for (let i = 1; i < n; i += 1) await appendEvents(store.ctx, { talksId, events: [assessed()], principal: 'alice' });
  return readLog(store.ctx, talksId);
}

describe('the feed consumer', () => {
  it('hands over each event once, in version order, with the summary the store has at that version', async () => {
    const log = await appendN('fc-order', 5);
    const sink = new RecordingSink();
    const consumer = consumerWith(sink, 'order');
    // As a stream might: out of order, with repeats.
    const report = await consumer.consume([log[2]!, log[0]!, log[1]!, log[1]!, log[3]!, log[4]!, log[0]!]);
    expect(report.failed.size).toBe(0);
    expect(sink.changes.map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
    expect(sink.changes.every((c) => !c.replayed)).toBe(true);
    for (const change of sink.changes) {
      expect(change.summary).toEqual(summarize(await statusAtVersion(store.ctx, 'fc-order', change.version)));
      expect(change.headHash).toBe(change.event.hash);
    }
    const again = await consumer.consume(log);
    expect(again.duplicates).toBe(5);
    expect(sink.changes).toHaveLength(5);
    expect((await readCheckpoint(feed, 'order', 'fc-order'))?.version).toBe(5);
  });

  it('fills a gap from the log, marking what it replays', async () => {
    const log = await appendN('fc-gap', 6);
    const sink = new RecordingSink();
    const consumer = consumerWith(sink, 'gap');
    await consumer.consume([log[0]!]);
    // Versions 2 to 4 never reach it on the stream (a consumer down past the retention).
    await consumer.consume([log[4]!, log[5]!]);
    expect(sink.changes.map((c) => [c.version, c.replayed])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, true],
      [5, false],
      [6, false],
    ]);
  });

  it('keeps its checkpoint when a sink fails, so the retry hands the change over again', async () => {
    const log = await appendN('fc-retry', 3);
    const sink = new RecordingSink();
    const consumer = consumerWith(sink, 'retry');
    await consumer.consume([log[0]!]);
    sink.failNext = 1;
    const failed = await consumer.consume([log[1]!, log[2]!]);
    expect([...failed.failed.keys()]).toEqual(['fc-retry']);
    expect((await readCheckpoint(feed, 'retry', 'fc-retry'))?.version).toBe(1);
    await consumer.consume([log[1]!, log[2]!]);
    expect(sink.changes.map((c) => c.version)).toEqual([1, 2, 3]);
  });

  it('refuses an event whose link does not match the one before it', async () => {
    const log = await appendN('fc-broken', 2);
    const sink = new RecordingSink();
    const consumer = consumerWith(sink, 'broken');
    await consumer.consume([log[0]!]);
    const forged = { ...log[1]!, prevHash: 'f'.repeat(64) };
    const report = await consumer.consume([forged]);
    expect(report.failed.get('fc-broken')?.name).toBe('FeedIntegrityError');
    expect(sink.changes.map((c) => c.version)).toEqual([1]);
  });

  it("sweeps every talks behind its checkpoint, and computes a revision's summary as the store does", async () => {
    const log = await appendN('fc-sweep', 3);
    const corrected = await appendEvents(store.ctx, {
      talksId: 'fc-sweep',
      events: [submitted('report.retracted', { targetVersion: 2, reason: 'The report was wrong', issuedBy: 'source' })],
      principal: 'alice',
    });
    expect(corrected.outcome).toBe('appended');
    const sink = new RecordingSink();
    const consumer = consumerWith(sink, 'sweep');
    await consumer.consume([log[0]!]);
    const report = await consumer.sweep();
    const mine = sink.changes.filter((c) => c.talksId === 'fc-sweep');
    expect(mine.map((c) => [c.version, c.replayed])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, true],
    ]);
    expect(report.failed.size).toBe(0);
    expect(mine[3]?.summary).toEqual(summarize(await statusAtVersion(store.ctx, 'fc-sweep', 4)));
    expect(mine[3]?.summary.version).toBe(4);
  });
});
