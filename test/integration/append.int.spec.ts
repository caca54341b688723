import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../functions/domain/domain-errors.js';
import { genesisHash, verifyEventHash } from '../../functions/domain/hash-chain.js';
import { project } from '../../functions/domain/project.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { readLog } from '../../functions/store/read-log.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { fromSnapshotRecord, snapshotTimeKey } from '../../functions/store/status-codec.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
beforeAll(async () => {
  store = await createTestStore();
});

const assessed = (assessment = 'some_progress', envelope: Record<string, unknown> = {}) =>
  submitted('progress.assessed', { assessment, by: 'An official' }, envelope);

const scanCount = async (table: string) => (await store.raw.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;

describe('appending to the log', () => {
  it('opens a talks with one read and one transaction', async () => {
    store.counter.reset();
    const result = await appendEvents(store.ctx, { talksId: 'rt-open', events: [opened()], principal: 'alice' });
    expect(result.outcome).toBe('appended');
    expect(Object.fromEntries(store.counter.counts)).toEqual({ GetItem: 1, TransactWriteItems: 1 });
    expect(result.events[0]).toMatchObject({
      talksId: 'rt-open',
      version: 1,
      recordedBy: 'alice',
      prevHash: genesisHash,
      // talks.opened is at schema version 2 (participantKinds).
      schemaVersion: 2,
    });
    expect(verifyEventHash(result.events[0]!)).toBe(true);
  });

  it('appends a batch of 25 in one transaction, versions consecutive and hashes linked', async () => {
    await appendEvents(store.ctx, { talksId: 'rt-batch', events: [opened()], principal: 'alice' });
    store.counter.reset();
    const batch = Array.from({ length: 25 }, () => assessed());
    const result = await appendEvents(store.ctx, { talksId: 'rt-batch', events: batch, principal: 'alice' });
    expect(Object.fromEntries(store.counter.counts)).toEqual({ GetItem: 1, TransactWriteItems: 1 });
    expect(result.events.map((e) => e.version)).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
    const log = await readLog(store.ctx, 'rt-batch');
    log.forEach((event, i) => {
      expect(verifyEventHash(event)).toBe(true);
      if (i > 0) expect(event.prevHash).toBe(log[i - 1]!.hash);
    });
    const status = await readStatusItem(store.ctx, 'rt-batch');
    expect(status?.status).toEqual(JSON.parse(JSON.stringify(project('rt-batch', log))));
    expect(status?.status.headHash).toBe(log.at(-1)!.hash);
  });

  it('refuses a first event that does not open the talks, writing nothing', async () => {
    const before = await scanCount(store.tables.events);
    await expect(appendEvents(store.ctx, { talksId: 'rt-unopened', events: [assessed()], principal: 'a' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await scanCount(store.tables.events)).toBe(before);
  });

  it('refuses to open a talks twice', async () => {
    await appendEvents(store.ctx, { talksId: 'rt-twice', events: [opened()], principal: 'a' });
    await expect(appendEvents(store.ctx, { talksId: 'rt-twice', events: [opened()], principal: 'a' })).rejects.toMatchObject({
      status: 409,
      slug: 'already-open',
    });
  });

  it('answers an expected-version mismatch with 409 and the current version', async () => {
    await appendEvents(store.ctx, { talksId: 'rt-ifmatch', events: [opened(), assessed()], principal: 'a' });
    const error = await appendEvents(store.ctx, { talksId: 'rt-ifmatch', events: [assessed()], expectedVersion: 1, principal: 'a' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extensions).toMatchObject({ currentVersion: 2, expectedVersion: 1 });
    const ok = await appendEvents(store.ctx, { talksId: 'rt-ifmatch', events: [assessed()], expectedVersion: 2, principal: 'a' });
    expect(ok.statusVersion).toBe(3);
  });

  it('keeps recordedAt from going backwards when the clock does', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const ctx = { ...store.ctx, now: () => now };
    await appendEvents(ctx, { talksId: 'rt-clock', events: [opened()], principal: 'a' });
    now = new Date('2029-12-31T23:00:00Z');
    const second = await appendEvents(ctx, { talksId: 'rt-clock', events: [assessed()], principal: 'a' });
    expect(second.events[0]!.recordedAt).toBe('2030-01-01T00:00:00.000Z');
  });

  it('writes a snapshot at every multiple of the interval, inside a batch too', async () => {
    const ctx = { ...store.ctx, snapshotInterval: 5 };
    const snapshotAt = async (sk: number) =>
      (await store.raw.send(new GetCommand({ TableName: store.tables.state, Key: { pk: 'rt-snap', sk } }))).Item;
    await appendEvents(ctx, { talksId: 'rt-snap', events: [opened(), assessed(), assessed()], principal: 'a' });
    expect(await snapshotAt(3)).toBeUndefined();
    // Versions 4-14 in one batch: snapshots at 5 and 10, none at the batch's end.
    await appendEvents(ctx, { talksId: 'rt-snap', events: Array.from({ length: 11 }, () => assessed()), principal: 'a' });
    const log = await readLog(store.ctx, 'rt-snap');
    for (const version of [5, 10]) {
      const item = await snapshotAt(version);
      expect(plain(fromSnapshotRecord(item!))).toEqual(plain(project('rt-snap', log.slice(0, version))));
      expect(item?.snapshotAt).toBe(snapshotTimeKey(log[version - 1]!.recordedAt, version));
    }
    expect(await snapshotAt(14)).toBeUndefined();
  });
});
