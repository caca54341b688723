import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../functions/store/append-events.js';
import { readLog } from '../../functions/store/read-log.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});

const scanAll = async () => (await store.raw.send(new ScanCommand({ TableName: store.tables.events }))).Items ?? [];
const statement = (eventId: string, summary = 'We want a deal') =>
  submitted('statement.issued', { speaker: { name: "Gideon Sa'ar", affiliation: 'Israel' }, stance: 'optimistic', summary }, { eventId });

describe('idempotency by event id', () => {
  it('treats a resent event with the same content as stored: 200-style replay, nothing written', async () => {
    const eventId = randomUUID();
    await appendEvents(store.ctx, { talksId: 'idem-a', events: [opened()], principal: 'a' });
    const first = await appendEvents(store.ctx, { talksId: 'idem-a', events: [statement(eventId)], principal: 'a' });
    const itemsBefore = (await scanAll()).length;
    store.counter.reset();
    const again = await appendEvents(store.ctx, { talksId: 'idem-a', events: [statement(eventId)], principal: 'a' });
    expect(again.outcome).toBe('replayed');
    expect(again.events[0]).toEqual(first.events[0]);
    expect(again.statusVersion).toBe(2);
    expect((await scanAll()).length).toBe(itemsBefore);
    // The replay is found by the transaction's own condition failure: no extra read up front.
    expect(store.counter.counts.get('TransactWriteItems')).toBe(1);
  });

  it('answers a resend with If-Match as a replay, not a version mismatch, when the first answer was lost', async () => {
    const eventId = randomUUID();
    await appendEvents(store.ctx, { talksId: 'idem-if-match', events: [opened(), statement(randomUUID())], principal: 'a' });
    const first = await appendEvents(store.ctx, {
      talksId: 'idem-if-match',
      events: [statement(eventId)],
      expectedVersion: 2,
      principal: 'a',
    });
    const itemsBefore = (await scanAll()).length;
    // The client never saw the 201 and resends exactly what it sent, If-Match "2" included.
    const again = await appendEvents(store.ctx, {
      talksId: 'idem-if-match',
      events: [statement(eventId)],
      expectedVersion: 2,
      principal: 'a',
    });
    expect(again).toMatchObject({ outcome: 'replayed', statusVersion: 3, events: first.events });
    expect((await scanAll()).length).toBe(itemsBefore);
    // A new development against the stale version is still a conflict.
    await expect(
      appendEvents(store.ctx, { talksId: 'idem-if-match', events: [statement(randomUUID())], expectedVersion: 2, principal: 'a' }),
    ).rejects.toMatchObject({ status: 409, slug: 'version-mismatch' });
  });

  it('refuses a reused event id with different content (409), writing nothing', async () => {
    const eventId = randomUUID();
    await appendEvents(store.ctx, { talksId: 'idem-b', events: [opened(), statement(eventId)], principal: 'a' });
    const itemsBefore = (await scanAll()).length;
    await expect(
      appendEvents(store.ctx, { talksId: 'idem-b', events: [statement(eventId, 'Something else')], principal: 'a' }),
    ).rejects.toMatchObject({ status: 409, slug: 'event-id-reused' });
    expect((await scanAll()).length).toBe(itemsBefore);
  });

  it('refuses the same event id on another talks', async () => {
    const eventId = randomUUID();
    await appendEvents(store.ctx, { talksId: 'idem-c1', events: [opened(), statement(eventId)], principal: 'a' });
    await appendEvents(store.ctx, { talksId: 'idem-c2', events: [opened()], principal: 'a' });
    await expect(appendEvents(store.ctx, { talksId: 'idem-c2', events: [statement(eventId)], principal: 'a' })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('appends only the new events of a batch that repeats earlier ones', async () => {
    const [known, fresh] = [randomUUID(), randomUUID()];
    await appendEvents(store.ctx, { talksId: 'idem-d', events: [opened(), statement(known)], principal: 'a' });
    const result = await appendEvents(store.ctx, {
      talksId: 'idem-d',
      events: [statement(known), statement(fresh, 'Fresh')],
      principal: 'a',
    });
    expect(result.outcome).toBe('appended');
    expect(result.replayedEventIds).toEqual([known]);
    expect(result.events.map((e) => e.version)).toEqual([2, 3]);
    expect((await readLog(store.ctx, 'idem-d')).map((e) => e.eventId)).toEqual([expect.any(String), known, fresh]);
  });

  it('rejects the same event id twice within one submission', async () => {
    const eventId = randomUUID();
    await expect(
      appendEvents(store.ctx, { talksId: 'idem-e', events: [opened({ eventId }), statement(eventId)], principal: 'a' }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('stores a retry storm of the same events exactly once', async () => {
    await appendEvents(store.ctx, { talksId: 'idem-storm', events: [opened()], principal: 'a' });
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const attempts = Array.from({ length: 20 }, (_, i) =>
      appendEvents(store.ctx, { talksId: 'idem-storm', events: [statement(ids[i % 5]!)], principal: 'a' }),
    );
    const results = await Promise.all(attempts);
    const log = await readLog(store.ctx, 'idem-storm');
    expect(log.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(log.slice(1).map((e) => e.eventId))).toEqual(new Set(ids));
    expect(results.filter((r) => r.outcome === 'replayed')).toHaveLength(15);
  });
});
