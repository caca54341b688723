import { randomUUID } from 'node:crypto';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { getStatusController } from '../../functions/controllers/get-status-controller.js';
import type { TalksStatus } from '../../functions/domain/talks-status.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { auditTalks } from '../../functions/store/audit-log.js';
import { eventKey, idempotencyKey, snapshotKey, statusKey, summarize } from '../../functions/store/item-keys.js';
import { listTalks } from '../../functions/store/list-talks.js';
import { readHistory } from '../../functions/store/read-history.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { fromSnapshotRecord, snapshotTimeKey } from '../../functions/store/status-codec.js';
import { statusDictionary1 } from '../../functions/store/status-dictionary.js';
import { httpEvent } from '../../harness/http-event.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

/**
 * Items written before 2026-12-01 (status and snapshots gzipped in `statusZ`, a `summary`
 * copy projected into the list index, the exact time in `activityKey`) stay readable next
 * to the newer layout: the status, time travel and the list answer the same, and the next
 * append replaces the item with the newer layout.
 */
let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});

/** The status item exactly as the code before 2026-12-01 wrote it. */
const olderStatusItem = (status: TalksStatus, writeId: string) => ({
  writeId,
  projectionVersion: 1,
  pk: status.talksId,
  sk: 0,
  kind: 'status',
  version: status.version,
  listPk: 'talks',
  activityKey: `${status.updatedAt}#${status.talksId}`,
  summary: summarize(status),
  statusZ: gzipSync(Buffer.from(JSON.stringify(status), 'utf8')),
});
const olderSnapshot = (status: TalksStatus) => ({
  ...snapshotKey(status.talksId, status.version),
  kind: 'snapshot',
  version: status.version,
  snapshotAt: snapshotTimeKey(status.updatedAt, status.version),
  statusZ: gzipSync(Buffer.from(JSON.stringify(status), 'utf8')),
});

const meeting = (place: string) => submitted('meeting.held', { participants: ['Israel', 'Qatar'], kind: 'meeting', place });
const at = (iso: string) => ({ ...store.ctx, now: () => new Date(iso) });
const raw = async (key: Record<string, unknown>) =>
  (await store.raw.send(new GetCommand({ TableName: store.tables.state, Key: key, ConsistentRead: true }))).Item;

/** Rewrites a talks' status item (and optionally a snapshot) in the older layout. */
async function downgrade(talksId: string, snapshotVersion?: number) {
  const current = await readStatusItem(store.ctx, talksId);
  if (current === undefined) throw new Error(`no status for ${talksId}`);
  await store.raw.send(new PutCommand({ TableName: store.tables.state, Item: olderStatusItem(current.status, current.writeId) }));
  if (snapshotVersion !== undefined) {
    const snapshot = fromSnapshotRecord((await raw(snapshotKey(talksId, snapshotVersion))) ?? {});
    await store.raw.send(new PutCommand({ TableName: store.tables.state, Item: olderSnapshot(snapshot) }));
  }
  return current.status;
}

describe('status items of the older layout', () => {
  it('answer the same status, byte for byte, and time travel reads an older snapshot', async () => {
    const events = [opened(), ...Array.from({ length: 54 }, (_, i) => meeting(`Doha ${i}`))];
    await appendEvents(at('2031-02-01T10:00:00Z'), { talksId: 'old-a', events: events.slice(0, 25), principal: 'a' });
    await appendEvents(at('2031-02-01T10:00:01Z'), { talksId: 'old-a', events: events.slice(25), principal: 'a' });
    // The reader's clock fixed, so two answers can be compared byte for byte.
    const get = getStatusController({ ...store.runtime, now: () => new Date('2031-03-01T00:00:00Z') });
    const now = httpEvent({ path: '/talks/old-a', pathParameters: { talksId: 'old-a' } });
    const past = httpEvent({ path: '/talks/old-a', pathParameters: { talksId: 'old-a' }, query: { atVersion: '52' } });
    const [before, beforePast] = [await get(now), await get(past)];
    expect((await raw(statusKey('old-a')))?.statusD).toBeInstanceOf(Uint8Array);
    await downgrade('old-a', 50);
    expect((await raw(statusKey('old-a')))?.statusD).toBeUndefined();
    expect((await raw(snapshotKey('old-a', 50)))?.statusZ).toBeInstanceOf(Uint8Array);
    const [after, afterPast] = [await get(now), await get(past)];
    expect(after.statusCode).toBe(200);
    expect(after.body).toBe(before.body);
    expect(after.headers?.etag).toBe(before.headers?.etag);
    expect(afterPast.statusCode).toBe(200);
    expect(afterPast.body).toBe(beforePast.body);
  });

  it('take the next append (conditional on the older item) and become the newer layout', async () => {
    await appendEvents(at('2031-02-02T10:00:00Z'), { talksId: 'old-b', events: [opened()], principal: 'a' });
    const before = await downgrade('old-b');
    const result = await appendEvents(at('2031-02-02T10:00:05Z'), { talksId: 'old-b', events: [meeting('Cairo')], principal: 'a' });
    expect(result.statusVersion).toBe(before.version + 1);
    const item = await raw(statusKey('old-b'));
    expect(item?.statusD).toBeInstanceOf(Uint8Array);
    expect(item).not.toHaveProperty('statusZ');
    expect(item).not.toHaveProperty('summary');
    expect(item?.activityKey).toBe('2031-02-02T10#old-b');
    expect((await readStatusItem(store.ctx, 'old-b'))?.status.meetings.count).toBe(1);
  });
});

/** `statusD` as codec 1 wrote it (2026-12-01 until codec 2): the status's JSON deflated with dictionary 1. */
const codec1 = (status: TalksStatus) =>
  Buffer.concat([
    Uint8Array.of(1),
    deflateRawSync(Buffer.from(JSON.stringify(status), 'utf8'), { level: 9, dictionary: Buffer.from(statusDictionary1) }),
  ]);

describe('status items and snapshots of codec 1', () => {
  it('answer the same status and time travel, byte for byte, and the next append writes codec 2', async () => {
    const events = [opened(), ...Array.from({ length: 54 }, (_, i) => meeting(`Amman ${i}`))];
    await appendEvents(at('2031-02-03T10:00:00Z'), { talksId: 'old-c', events: events.slice(0, 25), principal: 'a' });
    await appendEvents(at('2031-02-03T10:00:01Z'), { talksId: 'old-c', events: events.slice(25), principal: 'a' });
    const get = getStatusController({ ...store.runtime, now: () => new Date('2031-03-01T00:00:00Z') });
    const now = httpEvent({ path: '/talks/old-c', pathParameters: { talksId: 'old-c' } });
    const past = httpEvent({ path: '/talks/old-c', pathParameters: { talksId: 'old-c' }, query: { atVersion: '52' } });
    const [before, beforePast] = [await get(now), await get(past)];
    const item = (await raw(statusKey('old-c'))) ?? {};
    const snapshot = (await raw(snapshotKey('old-c', 50))) ?? {};
    expect((item.statusD as Uint8Array)[0]).toBe(2);
    expect((snapshot.statusD as Uint8Array)[0]).toBe(2);
    // The same items (keys, writeId, frontier) with the status as codec 1 stored it.
    const status = (await readStatusItem(store.ctx, 'old-c'))?.status as TalksStatus;
    await store.raw.send(new PutCommand({ TableName: store.tables.state, Item: { ...item, statusD: codec1(status) } }));
    await store.raw.send(
      new PutCommand({ TableName: store.tables.state, Item: { ...snapshot, statusD: codec1(fromSnapshotRecord(snapshot)) } }),
    );
    expect(((await raw(statusKey('old-c')))?.statusD as Uint8Array | undefined)?.[0]).toBe(1);
    const [after, afterPast] = [await get(now), await get(past)];
    expect(after.body).toBe(before.body);
    expect(after.headers?.etag).toBe(before.headers?.etag);
    expect(afterPast.body).toBe(beforePast.body);
    const result = await appendEvents(at('2031-02-03T10:00:05Z'), { talksId: 'old-c', events: [meeting('Cairo')], principal: 'a' });
    expect(result.statusVersion).toBe(56);
    expect(((await raw(statusKey('old-c')))?.statusD as Uint8Array | undefined)?.[0]).toBe(2);
    expect((await readStatusItem(store.ctx, 'old-c'))?.status.meetings.count).toBe(55);
  });
});

describe('event items and idempotency records of the older layout', () => {
  it('read back the same history, byte for byte, pass the audit, and still answer resends', async () => {
    const events = [
      opened(),
      meeting('Doha'),
      submitted('figure.reported', {
        metric: 'killed',
        value: 12.5,
        unit: 'people',
        qualifier: 'about',
        originator: 'Gaza health ministry',
      }),
    ].map((e) => ({ ...e, eventId: randomUUID() }));
    await appendEvents(at('2031-04-01T10:00:00Z'), { talksId: 'old-ev', events, principal: 'a' });
    const history = async () => JSON.stringify(await readHistory(store.ctx, 'old-ev', { after: 0, limit: 10 }));
    const before = await history();
    const stored = (await readHistory(store.ctx, 'old-ev', { after: 0, limit: 10 })).items;
    const newer = (
      await store.raw.send(new GetCommand({ TableName: store.tables.events, Key: eventKey('old-ev', 2), ConsistentRead: true }))
    ).Item;
    expect(newer?.hash).toBeInstanceOf(Uint8Array);
    expect(typeof newer?.recordedAt).toBe('number');
    expect(newer).not.toHaveProperty('talksId');
    for (const [i, event] of stored.entries()) {
      // As the code before 2026-12-01 wrote them: every field of the event, hashes in hex.
      await store.raw.send(
        new PutCommand({ TableName: store.tables.events, Item: { ...eventKey(event.talksId, event.version), kind: 'event', ...event } }),
      );
      const record = (
        await store.raw.send(new GetCommand({ TableName: store.tables.events, Key: idempotencyKey(event.eventId), ConsistentRead: true }))
      ).Item;
      // Written today: one-letter names, no kind, the hash in 32 bytes.
      expect(Object.keys(record ?? {}).sort()).toEqual(['h', 'pk', 'sk', 't', 'v']);
      expect(record).toMatchObject({ t: 'old-ev', v: event.version });
      const { t, v, h, ...keys } = record ?? {};
      // Idempotency records with full names and a kind: the hash in hex before 2026-12-01,
      // in 32 bytes until 2026-12-03.
      const contentHash = i % 2 === 0 ? Buffer.from(h as Uint8Array).toString('hex') : h;
      await store.raw.send(
        new PutCommand({ TableName: store.tables.events, Item: { ...keys, kind: 'idempotency', talksId: t, version: v, contentHash } }),
      );
    }
    expect(await history()).toBe(before);
    // Events written before the verifiable log carry no signed checkpoint: the chain and the
    // status hold, and the audit says exactly that nothing is vouched for yet.
    const unsigned = await auditTalks(store.ctx, 'old-ev');
    expect(unsigned).toMatchObject({ ok: false, hashesValid: true, hashesLink: true, statusMatches: true, gapless: true });
    expect(unsigned.problems).toEqual([expect.objectContaining({ version: 1, kind: 'not-covered' })]);
    const resent = await appendEvents(store.ctx, { talksId: 'old-ev', events: [events[1]!], principal: 'a' });
    expect(resent).toMatchObject({ outcome: 'replayed', statusVersion: 3 });
    expect(JSON.stringify(resent.events[0])).toBe(JSON.stringify(stored[1]));
    const resentOldest = await appendEvents(store.ctx, { talksId: 'old-ev', events: [events[0]!], principal: 'a' });
    expect(resentOldest).toMatchObject({ outcome: 'replayed', statusVersion: 3 });
    expect(resentOldest.events[0]?.version).toBe(1);
    await expect(
      appendEvents(store.ctx, { talksId: 'old-ev', events: [{ ...meeting('Elsewhere'), eventId: events[0]!.eventId }], principal: 'a' }),
    ).rejects.toMatchObject({ slug: 'event-id-reused' });
    const reused = { ...meeting('Elsewhere'), eventId: events[1]!.eventId };
    await expect(appendEvents(store.ctx, { talksId: 'old-ev', events: [reused], principal: 'a' })).rejects.toMatchObject({
      slug: 'event-id-reused',
    });
    const next = await appendEvents(store.ctx, { talksId: 'old-ev', events: [meeting('Cairo')], principal: 'a' });
    expect(next.events[0]?.prevHash).toBe(stored[2]?.hash);
    // The next append signs its new head, and that checkpoint vouches for the whole log.
    expect(await auditTalks(store.ctx, 'old-ev')).toMatchObject({ ok: true, checkedEvents: 4, problems: [] });
  });
});

describe('the list over both layouts', () => {
  it('orders talks by their exact last activity within an hour and across hours, with a cursor', async () => {
    const isolated = await createTestStore();
    const on = (iso: string) => ({ ...isolated.ctx, now: () => new Date(iso) });
    // Same hour: list-b (older layout, exact key) between list-a and list-c (keys of the hour).
    await appendEvents(on('2031-03-01T09:10:00Z'), { talksId: 'list-a', events: [opened()], principal: 'a' });
    await appendEvents(on('2031-03-01T09:20:00Z'), { talksId: 'list-b', events: [opened()], principal: 'a' });
    await appendEvents(on('2031-03-01T09:30:00Z'), { talksId: 'list-c', events: [opened()], principal: 'a' });
    await appendEvents(on('2031-03-01T11:00:00Z'), { talksId: 'list-d', events: [opened()], principal: 'a' });
    await appendEvents(on('2031-02-28T08:00:00Z'), { talksId: 'list-e', events: [opened()], principal: 'a' });
    const b = await readStatusItem(isolated.ctx, 'list-b');
    await isolated.raw.send(new PutCommand({ TableName: isolated.tables.state, Item: olderStatusItem(b!.status, b!.writeId) }));
    const all = await listTalks(isolated.ctx, { limit: 10 });
    expect(all.items.map((t) => t.talksId)).toEqual(['list-d', 'list-c', 'list-b', 'list-a', 'list-e']);
    expect(all.items[2]).toEqual(summarize(b!.status));
    expect(all.nextCursor).toBeNull();
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listTalks(isolated.ctx, { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page.items.map((t) => t.talksId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual([['list-d', 'list-c'], ['list-b', 'list-a'], ['list-e']]);
  });
});
