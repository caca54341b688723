import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readUnits } from '../../bench/capacity-rules.js';
import { project } from '../../functions/domain/project.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { readLog } from '../../functions/store/read-log.js';
import type { StoreContext } from '../../functions/store/store-context.js';
import { statusAsOf, statusAtVersion } from '../../functions/store/time-travel.js';
import { meterDynamoDb } from '../../harness/dynamodb-meter.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore, testDynamo } from '../support/test-store.js';

/*
 * The time-travel budget (bench/budget.ts, "time travel"): a read reads the snapshot it
 * starts from plus at most an interval of the log. asOf at the moments that decide it: exactly
 * at a snapshot's time, just before the next snapshot, between events, on events that share
 * one time (a batch), each checked against a replay of what was recorded by then, with
 * every call it makes counted.
 */

const interval = 10;
let store: TestStore;
let clock = Date.parse('2032-01-01T00:00:00Z');
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const figure = (value: number) =>
  submitted('figure.reported', { metric: 'killed', value, unit: 'people', qualifier: 'about', originator: `O${value % 3}` });
const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const knownAt = (talksId: string, log: readonly StoredEvent[], at: string) =>
  plain(
    project(
      talksId,
      log.filter((e) => e.recordedAt <= at),
    ),
  );

/** Moments around every recorded time: at it, 1 ms before, 1 ms after. */
const momentsAround = (log: readonly StoredEvent[]) =>
  [...new Set(log.map((e) => e.recordedAt))].flatMap((t) => [shift(t, -1), t, shift(t, 1)]).filter((t) => t >= log[0]!.recordedAt);

async function appendHistory(ctx: StoreContext, talksId: string, batches: readonly number[]): Promise<StoredEvent[]> {
  await appendEvents(ctx, { talksId, events: [opened()], principal: 'a' });
  let value = 0;
  for (const size of batches)
    await appendEvents(ctx, { talksId, events: Array.from({ length: size }, () => figure((value += 1))), principal: 'a' });
  return readLog(ctx, talksId);
}

let single: StoredEvent[];
let batched: StoredEvent[];

beforeAll(async () => {
  store = await createTestStore({ snapshotInterval: interval, now: () => new Date((clock += 1_000)) });
  // One event per submission: every version its own time, so a moment can fall just before a snapshot.
  single = await appendHistory(
    store.ctx,
    'single',
    Array.from({ length: 34 }, () => 1),
  );
  // Batches that share a time and straddle the interval (snapshots at 10, 20, 30 inside them).
  batched = await appendHistory(store.ctx, 'batched', [4, 7, 3, 12, 1, 9]);
}, 120_000);

describe('asOf reads the snapshot it starts from and at most an interval of the log', () => {
  it.each([
    ['single', () => single],
    ['batched', () => batched],
  ])('%s: equals the replay at every moment, in two queries, within 1 + interval items', async (talksId, history) => {
    const log = history();
    let most = 0;
    for (const at of momentsAround(log)) {
      const cost = await store.counter.measure(() => statusAsOf(store.ctx, talksId, at));
      expect(plain(cost.result), `asOf ${at}`).toEqual(knownAt(talksId, log, at));
      // The latest snapshot recorded by then (none before the first multiple), then the events
      // after it through the next multiple of the interval, the boundary event included.
      expect(
        cost.calls.map((c) => c.command),
        `asOf ${at}`,
      ).toEqual(['Query', 'Query']);
      const [snapshot, events] = cost.calls;
      expect(snapshot?.itemsRead).toBeLessThanOrEqual(1);
      expect(events?.itemsRead).toBeLessThanOrEqual(interval);
      expect(cost.itemsRead, `asOf ${at}`).toBeLessThanOrEqual(1 + interval);
      most = Math.max(most, cost.itemsRead);
    }
    // The bound is reached: a snapshot at a multiple, the interval's events, the last of them past the moment.
    expect(most).toBe(1 + interval);
  });

  it('reads, just before the next snapshot, the snapshot, the events it needs and the boundary event, no more', async () => {
    // Version 29 known, 30 (a snapshot) not yet: the status after 29.
    const at = shift(single[29]!.recordedAt, -1);
    expect(at >= single[28]!.recordedAt).toBe(true);
    const cost = await store.counter.measure(() => statusAsOf(store.ctx, 'single', at));
    expect(cost.result.version).toBe(29);
    expect(cost.calls.map((c) => c.itemsRead)).toEqual([1, 10]);
    // Exactly at the snapshot's time: it is the one the read starts from.
    const atSnapshot = await store.counter.measure(() => statusAsOf(store.ctx, 'single', single[29]!.recordedAt));
    expect(atSnapshot.result.version).toBe(30);
    expect(atSnapshot.calls.map((c) => c.itemsRead)).toEqual([1, single.length - 30]);
  });

  it('costs by the read-unit rules one unit for the snapshot and the events read together, at most one unit over atVersion', async () => {
    // A client of its own: a second meter on the store's client would replace its counter.
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...testDynamo(), region: 'local' }));
    const meter = meterDynamoDb(doc, { capacity: true });
    const ctx = { ...store.ctx, doc };
    try {
      for (const version of [9, 19, 29, 34]) {
        const at = shift(single[version]?.recordedAt ?? '9999-01-01T00:00:00.000Z', -1);
        const asOf = await meter.measure(() => statusAsOf(ctx, 'single', at));
        const atVersion = await meter.measure(() => statusAtVersion(ctx, 'single', version));
        expect(asOf.result).toEqual(atVersion.result);
        // Strongly consistent reads: 4 KB a unit, per query; the snapshot item alone is under 4 KB.
        expect(asOf.units, `asOf before version ${version + 1}`).toBeLessThanOrEqual(atVersion.units + 1);
        expect(asOf.calls.map((c) => c.command)).toEqual(['Query', 'Query']);
        expect(asOf.units).toBeGreaterThanOrEqual(readUnits(1));
      }
    } finally {
      doc.destroy();
    }
  });

  it('answers 404 before the talks was recorded, and for a talks that does not exist', async () => {
    await expect(statusAsOf(store.ctx, 'single', shift(single[0]!.recordedAt, -1))).rejects.toMatchObject({ status: 404 });
    await expect(statusAsOf(store.ctx, 'nowhere', single[5]!.recordedAt)).rejects.toMatchObject({ status: 404 });
  });
});

describe('asOf where snapshots are missing', () => {
  it('still equals the replay: a snapshot deleted, or snapshots kept under another interval', async () => {
    const ctx = { ...store.ctx, now: () => new Date((clock += 1_000)) };
    const gapped = await appendHistory(
      ctx,
      'gapped',
      Array.from({ length: 34 }, () => 1),
    );
    await store.raw.send(new DeleteCommand({ TableName: store.tables.state, Key: { pk: 'gapped', sk: 20 } }));
    // Appended with snapshots every 25 versions, read by a store that expects every 10.
    const other = await appendHistory(
      { ...ctx, snapshotInterval: 25 },
      'other-interval',
      Array.from({ length: 40 }, () => 1),
    );
    let fellBack = 0;
    for (const [talksId, log] of [
      ['gapped', gapped],
      ['other-interval', other],
    ] as const)
      for (const at of momentsAround(log)) {
        const cost = await store.counter.measure(() => statusAsOf(store.ctx, talksId, at));
        expect(plain(cost.result), `${talksId} asOf ${at}`).toEqual(knownAt(talksId, log, at));
        if (cost.roundTrips > 2) fellBack += 1;
      }
    expect(fellBack).toBeGreaterThan(0);
  }, 60_000);
});
