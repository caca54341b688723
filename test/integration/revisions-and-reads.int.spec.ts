import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../functions/store/append-events.js';
import { decodeCursor, listTalks } from '../../functions/store/list-talks.js';
import { readHistory } from '../../functions/store/read-history.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});

const figure = (value: number, originator = 'Gaza health ministry') =>
  submitted('figure.reported', { metric: 'killed_in_gaza', value, unit: 'people', qualifier: 'more_than', originator });

describe('corrections and retractions through the store', () => {
  it('applies a correction to the stored status and keeps the log untouched', async () => {
    await appendEvents(store.ctx, { talksId: 'rev-a', events: [opened(), figure(46500)], principal: 'a' });
    await appendEvents(store.ctx, {
      talksId: 'rev-a',
      events: [
        submitted('report.corrected', {
          targetVersion: 2,
          corrected: { data: { value: 46600 } },
          reason: 'Typo in the toll',
          issuedBy: 'editor',
        }),
      ],
      principal: 'a',
    });
    const status = (await readStatusItem(store.ctx, 'rev-a'))?.status;
    expect(status?.figures.map((f) => f.value)).toEqual([46600]);
    expect(status?.counts).toMatchObject({ events: 3, corrections: 1 });
    const history = await readHistory(store.ctx, 'rev-a', { after: 0, limit: 10 });
    expect((history.items[1]!.data as { value: number }).value).toBe(46500);
  });

  it('removes a retracted development from the status', async () => {
    await appendEvents(store.ctx, { talksId: 'rev-b', events: [opened(), figure(100, 'A'), figure(200, 'B')], principal: 'a' });
    await appendEvents(store.ctx, {
      talksId: 'rev-b',
      events: [submitted('report.retracted', { targetVersion: 3, reason: 'Source withdrew it', issuedBy: 'source' })],
      principal: 'a',
    });
    const status = (await readStatusItem(store.ctx, 'rev-b'))?.status;
    expect(status?.figures.map((f) => f.originator)).toEqual(['A']);
    expect(status?.counts).toMatchObject({ events: 4, developments: 2, retractions: 1 });
  });

  it('rejects an invalid correction with 422 and writes nothing', async () => {
    await appendEvents(store.ctx, { talksId: 'rev-c', events: [opened(), figure(1)], principal: 'a' });
    const before = (await store.raw.send(new ScanCommand({ TableName: store.tables.events, Select: 'COUNT' }))).Count;
    await expect(
      appendEvents(store.ctx, {
        talksId: 'rev-c',
        events: [
          submitted('report.corrected', { targetVersion: 2, corrected: { data: { value: 'many' } }, reason: 'x', issuedBy: 'editor' }),
        ],
        principal: 'a',
      }),
    ).rejects.toMatchObject({ status: 422, slug: 'invalid-correction' });
    await expect(
      appendEvents(store.ctx, {
        talksId: 'rev-c',
        events: [submitted('report.retracted', { targetVersion: 9, reason: 'x', issuedBy: 'editor' })],
        principal: 'a',
      }),
    ).rejects.toMatchObject({ status: 422, slug: 'revision-target-missing' });
    expect((await store.raw.send(new ScanCommand({ TableName: store.tables.events, Select: 'COUNT' }))).Count).toBe(before);
  });
});

describe('reading history and lists', () => {
  it('pages through the history in order with nextAfter, without a hidden cap', async () => {
    const events = [opened(), ...Array.from({ length: 24 }, (_, i) => figure(i))];
    await appendEvents(store.ctx, { talksId: 'hist', events, principal: 'a' });
    const seen: number[] = [];
    let after = 0;
    for (let page = 0; page < 10; page += 1) {
      const result = await readHistory(store.ctx, 'hist', { after, limit: 7 });
      seen.push(...result.items.map((e) => e.version));
      if (result.nextAfter === null) break;
      after = result.nextAfter;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('filters by type and still fills the page', async () => {
    const mixed = [opened(), ...Array.from({ length: 30 }, (_, i) => (i % 10 === 9 ? submitted('talks.stalled', {}) : figure(i)))];
    await appendEvents(store.ctx, { talksId: 'hist-types', events: mixed.slice(0, 25), principal: 'a' });
    await appendEvents(store.ctx, { talksId: 'hist-types', events: mixed.slice(25), principal: 'a' });
    const first = await readHistory(store.ctx, 'hist-types', { after: 0, limit: 2, types: ['talks.stalled'] });
    expect(first.items.map((e) => e.version)).toEqual([11, 21]);
    expect(first.nextAfter).toBe(21);
    const second = await readHistory(store.ctx, 'hist-types', { after: 21, limit: 2, types: ['talks.stalled'] });
    expect(second.items.map((e) => e.version)).toEqual([31]);
    expect(second.nextAfter).toBeNull();
  });

  it('lists talks most recently active first, with a cursor', async () => {
    const isolated = await createTestStore();
    const at = (iso: string) => ({ ...isolated.ctx, now: () => new Date(iso) });
    await appendEvents(at('2031-01-01T00:00:00Z'), { talksId: 'list-old', events: [opened()], principal: 'a' });
    await appendEvents(at('2031-01-03T00:00:00Z'), { talksId: 'list-new', events: [opened()], principal: 'a' });
    await appendEvents(at('2031-01-02T00:00:00Z'), { talksId: 'list-mid', events: [opened()], principal: 'a' });
    const first = await listTalks(isolated.ctx, { limit: 2 });
    expect(first.items.map((t) => t.talksId)).toEqual(['list-new', 'list-mid']);
    expect(first.nextCursor).not.toBeNull();
    const second = await listTalks(isolated.ctx, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((t) => t.talksId)).toEqual(['list-old']);
    expect(() => decodeCursor('bm90LWEtY3Vyc29y')).toThrow();
  });
});
