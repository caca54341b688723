import { beforeAll, describe, expect, it } from 'vitest';
import { project } from '../../functions/domain/project.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { readLog } from '../../functions/store/read-log.js';
import { statusAsOf, statusAtVersion, statusValidAt } from '../../functions/store/time-travel.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

const interval = 10;
const batchSize = 5;
let store: TestStore;
let clock = Date.parse('2030-01-01T00:00:00Z');
let log: StoredEvent[];
let oddLog: StoredEvent[];
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

beforeAll(async () => {
  store = await createTestStore({ snapshotInterval: interval, now: () => new Date((clock += 60_000)) });
  await appendEvents(store.ctx, { talksId: 'tt', events: [opened({ occurredAt: '2024-01-01T00:00:00Z' })], principal: 'a' });
  for (let i = 0; i < 24; i += 1) {
    const events = Array.from({ length: batchSize }, (_, j) =>
      submitted(
        'figure.reported',
        { metric: 'killed', value: i * batchSize + j, unit: 'people', qualifier: 'about', originator: `O${j}` },
        { occurredAt: `2024-02-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z` },
      ),
    );
    await appendEvents(store.ctx, { talksId: 'tt', events, principal: 'a' });
  }
  log = await readLog(store.ctx, 'tt');
  // A history batched across the interval: submissions of 7 never end on a multiple of 10.
  await appendEvents(store.ctx, { talksId: 'tt-odd', events: [opened({ occurredAt: '2024-01-01T00:00:00Z' })], principal: 'a' });
  for (let i = 0; i < 12; i += 1) {
    const events = Array.from({ length: 7 }, (_, j) =>
      submitted('figure.reported', { metric: 'killed', value: i * 7 + j, unit: 'people', qualifier: 'about', originator: `O${j}` }),
    );
    await appendEvents(store.ctx, { talksId: 'tt-odd', events, principal: 'a' });
  }
  oddLog = await readLog(store.ctx, 'tt-odd');
}, 120_000);

describe('status at a version', () => {
  it.each([1, 7, 10, 33, 60, 99, 121])('equals a replay of the first %i events', async (version) => {
    expect(plain(await statusAtVersion(store.ctx, 'tt', version))).toEqual(plain(project('tt', log.slice(0, version))));
  });

  it('reads one snapshot and fewer than a snapshot interval of events', async () => {
    for (const version of [9, 50, 104, 121]) {
      const cost = await store.counter.measure(() => statusAtVersion(store.ctx, 'tt', version));
      expect(cost.itemsRead).toBeLessThanOrEqual(1 + interval - 1);
    }
  });

  it('keeps that bound, and the replay, when batches straddle the interval', async () => {
    let most = 0;
    for (let version = 1; version <= oddLog.length; version += 1) {
      const cost = await store.counter.measure(() => statusAtVersion(store.ctx, 'tt-odd', version));
      expect(plain(cost.result)).toEqual(plain(project('tt-odd', oddLog.slice(0, version))));
      most = Math.max(most, cost.itemsRead);
    }
    expect(most).toBe(interval);
  });

  it('answers 404 past the head', async () => {
    await expect(statusAtVersion(store.ctx, 'tt', 500)).rejects.toMatchObject({ status: 404 });
  });
});

describe('status as of a transaction time', () => {
  it('is what the store knew then', async () => {
    for (const version of [1, 26, 73, 121]) {
      const at = log[version - 1]!.recordedAt;
      const cost = await store.counter.measure(() => statusAsOf(store.ctx, 'tt', at));
      const status = cost.result;
      expect(plain(status)).toEqual(
        plain(
          project(
            'tt',
            log.filter((e) => e.recordedAt <= at),
          ),
        ),
      );
      // The snapshot recorded by then and the events after it through the next multiple of
      // the interval: bounded by the snapshot interval, whatever the history.
      expect(cost.itemsRead).toBeLessThanOrEqual(1 + interval);
      expect(cost.roundTrips).toBe(2);
    }
  });

  it('keeps that bound, and the replay, when batches straddle the interval', async () => {
    let most = 0;
    for (const at of new Set(oddLog.map((e) => e.recordedAt))) {
      const cost = await store.counter.measure(() => statusAsOf(store.ctx, 'tt-odd', at));
      expect(plain(cost.result)).toEqual(
        plain(
          project(
            'tt-odd',
            oddLog.filter((e) => e.recordedAt <= at),
          ),
        ),
      );
      most = Math.max(most, cost.itemsRead);
    }
    expect(most).toBeLessThanOrEqual(1 + interval);
    expect(most).toBeGreaterThan(interval / 2);
  });

  it('answers 404 before the talks was recorded', async () => {
    await expect(statusAsOf(store.ctx, 'tt', '2000-01-01T00:00:00.000Z')).rejects.toMatchObject({ status: 404 });
  });
});

describe('retractions and corrections across time', () => {
  it('shows a retracted development before its retraction, and not after', async () => {
    const ctx = { ...store.ctx, now: () => new Date((clock += 60_000)) };
    await appendEvents(ctx, {
      talksId: 'tt-rev',
      events: [opened({ occurredAt: '2025-01-01T00:00:00Z' }), submitted('talks.stalled', {}, { occurredAt: '2025-01-02T00:00:00Z' })],
      principal: 'a',
    });
    const before = (await readLog(ctx, 'tt-rev')).at(-1)!.recordedAt;
    await appendEvents(ctx, {
      talksId: 'tt-rev',
      events: [submitted('report.retracted', { targetVersion: 2, reason: 'Wrong', issuedBy: 'source' })],
      principal: 'a',
    });
    await appendEvents(ctx, {
      talksId: 'tt-rev',
      events: [submitted('progress.assessed', { assessment: 'some_progress', by: 'x' })],
      principal: 'a',
    });
    expect((await statusAsOf(ctx, 'tt-rev', before)).phase).toBe('stalled');
    expect((await statusAtVersion(ctx, 'tt-rev', 2)).phase).toBe('stalled');
    expect((await statusAtVersion(ctx, 'tt-rev', 3)).phase).toBe('active');
    expect((await statusAtVersion(ctx, 'tt-rev', 4)).phase).toBe('active');
  });
});

describe('status at a valid time', () => {
  it('includes a development reported late that happened by then, and nothing after', async () => {
    const ctx = store.ctx;
    await appendEvents(ctx, {
      talksId: 'tt-valid',
      events: [
        opened({ occurredAt: '2025-01-01T00:00:00Z' }),
        submitted('agreement.reached', { terms: [{ family: 'ceasefire', text: 'Six weeks' }] }, { occurredAt: '2025-01-15T00:00:00Z' }),
      ],
      principal: 'a',
    });
    // Reported after the agreement, but it happened before: it belongs to 10 January.
    await appendEvents(ctx, {
      talksId: 'tt-valid',
      events: [submitted('talks.stalled', {}, { occurredAt: '2025-01-10T00:00:00Z' })],
      principal: 'a',
    });
    expect((await statusValidAt(ctx, 'tt-valid', '2025-01-12T00:00:00.000Z')).phase).toBe('stalled');
    expect((await statusValidAt(ctx, 'tt-valid', '2025-01-05T00:00:00.000Z')).phase).toBe('active');
    expect((await statusValidAt(ctx, 'tt-valid', '2025-02-01T00:00:00.000Z')).phase).toBe('agreed');
    await expect(statusValidAt(ctx, 'tt-valid', '2024-01-01T00:00:00.000Z')).rejects.toMatchObject({ status: 404 });
  });

  it('applies corrections known now, even to what happened earlier', async () => {
    const ctx = store.ctx;
    await appendEvents(ctx, {
      talksId: 'tt-valid-fix',
      events: [opened({ occurredAt: '2025-01-01T00:00:00Z' }), submitted('talks.suspended', {}, { occurredAt: '2025-01-20T00:00:00Z' })],
      principal: 'a',
    });
    await appendEvents(ctx, {
      talksId: 'tt-valid-fix',
      events: [
        submitted('report.corrected', {
          targetVersion: 2,
          corrected: { occurredAt: '2025-01-08T00:00:00Z' },
          reason: 'Date misreported',
          issuedBy: 'editor',
        }),
      ],
      principal: 'a',
    });
    expect((await statusValidAt(ctx, 'tt-valid-fix', '2025-01-10T00:00:00.000Z')).phase).toBe('suspended');
  });
});
