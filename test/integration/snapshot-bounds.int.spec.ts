import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { project } from '../../functions/domain/project.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { readLog } from '../../functions/store/read-log.js';
import { type ReadCost, statusAsOf, statusAtVersion } from '../../functions/store/time-travel.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

/**
 * Whatever the snapshot interval and however a history was batched, a time-travel read
 * gives exactly the replay of the prefix and reads at most one snapshot plus fewer than an
 * interval of events (asOf: plus the next snapshot's key).
 */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
let store: TestStore;
let clock = Date.parse('2031-01-01T00:00:00Z');
beforeAll(async () => {
  store = await createTestStore({ now: () => new Date((clock += 1_000)) });
});

const figure = (i: number) =>
  submitted('figure.reported', { metric: 'killed', value: i, unit: 'people', qualifier: 'about', originator: `O${i % 4}` });

describe('time travel bounds under any batching', () => {
  it('replays exactly and stays within the interval', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 6 }),
        async (interval, batches) => {
          const ctx = { ...store.ctx, snapshotInterval: interval };
          const talksId = `sb-${randomUUID().slice(0, 8)}`;
          let n = 0;
          await appendEvents(ctx, { talksId, events: [opened()], principal: 'p' });
          for (const size of batches)
            await appendEvents(ctx, { talksId, events: Array.from({ length: size }, () => figure(n++)), principal: 'p' });
          const log = await readLog(ctx, talksId);
          for (let version = 1; version <= log.length; version += 1) {
            const cost: ReadCost = { itemsRead: 0, roundTrips: 0 };
            expect(plain(await statusAtVersion(ctx, talksId, version, cost))).toEqual(plain(project(talksId, log.slice(0, version))));
            expect(cost.itemsRead, `atVersion ${version}`).toBeLessThanOrEqual(interval);
          }
          for (const at of new Set(log.map((e) => e.recordedAt))) {
            const cost: ReadCost = { itemsRead: 0, roundTrips: 0 };
            expect(plain(await statusAsOf(ctx, talksId, at, cost))).toEqual(
              plain(
                project(
                  talksId,
                  log.filter((e) => e.recordedAt <= at),
                ),
              ),
            );
            expect(cost.itemsRead, `asOf ${at}`).toBeLessThanOrEqual(interval + 1);
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
