import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { project } from '../../functions/domain/project.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { readLog } from '../../functions/store/read-log.js';
import { statusAsOf, statusAtVersion } from '../../functions/store/time-travel.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

/**
 * Whatever the snapshot interval and however a history was batched, a time-travel read
 * gives exactly the replay of the prefix and reads at most one snapshot plus fewer than an
 * interval of events (asOf: the interval's events through the next multiple, the boundary event
 * included), retractions inside batches too.
 */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
let store: TestStore;
let clock = Date.parse('2031-01-01T00:00:00Z');
beforeAll(async () => {
  store = await createTestStore({ now: () => new Date((clock += 1_000)) });
});

const retract = (targetVersion: number) => submitted('report.retracted', { targetVersion, reason: 'Not confirmed', issuedBy: 'editor' });
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
          let previousFigure: number | undefined;
          for (const [b, size] of batches.entries()) {
            const events = Array.from({ length: size }, () => figure(n++));
            // Every other batch retracts a figure of the batch before, from its middle: a
            // version inside it must stay as bounded as any other (a snapshot is kept at
            // every revision).
            if (b % 2 === 1 && previousFigure !== undefined) events.splice(Math.floor(size / 2), 0, retract(previousFigure));
            const result = await appendEvents(ctx, { talksId, events, principal: 'p' });
            previousFigure = result.events.find((e) => e.type === 'figure.reported')?.version;
          }
          const log = await readLog(ctx, talksId);
          for (let version = 1; version <= log.length; version += 1) {
            const cost = await store.counter.measure(() => statusAtVersion(ctx, talksId, version));
            expect(plain(cost.result)).toEqual(plain(project(talksId, log.slice(0, version))));
            expect(cost.itemsRead, `atVersion ${version}`).toBeLessThanOrEqual(interval);
          }
          for (const at of new Set(log.map((e) => e.recordedAt))) {
            const cost = await store.counter.measure(() => statusAsOf(ctx, talksId, at));
            expect(plain(cost.result)).toEqual(
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
