import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventTypes, isRevisionType } from '../../functions/domain/event-catalog.js';
import { indexRevisions, project } from '../../functions/domain/project.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { talksId } from './given.js';
import { appendRandom, extend, logArbitrary, stored } from './log-arbitraries.js';

/**
 * Live and replay agree: the status the store keeps, submission by submission, is exactly
 * what a full replay of the log gives. The logs are made by the store's own append
 * decision (which checks the append rules), so every log here is one the store accepts.
 */
/**
 * No time limit on the run: a limit makes the verdict depend on the machine's speed (a loaded
 * machine stopped short and failed). The test timeouts below are generous instead.
 */
const budget = {};
const generous = 300_000;

describe('live and replay agree', () => {
  it('draws logs that reach every event type and the revisions of revisions', () => {
    // The property below proves only what its logs reach.
    const reached = new Set<string>();
    for (const log of fc.sample(logArbitrary(40), 300)) {
      for (const event of log) {
        reached.add(event.type);
        const target = isRevisionType(event.type) ? log[(event.data as { targetVersion: number }).targetVersion - 1] : undefined;
        if (target !== undefined) reached.add(`${event.type} of ${target.type}`);
      }
    }
    const wanted = [
      ...eventTypes,
      'report.retracted of report.corrected',
      'report.corrected of talks.opened',
      'report.retracted of progress.assessed',
    ];
    expect(wanted.filter((w) => !reached.has(w))).toEqual([]);
  });

  it(
    'the status the append decision keeps is what a full replay gives, after every submission',
    () => {
      const decided = fc
        .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 7 }), fc.gen())
        .map(([count, interval, g]) => ({ interval, ...appendRandom(g, [], count, true, interval) }));
      fc.assert(
        fc.property(decided, ({ interval, log, decisions }) => {
          for (const { stored: written, status, snapshots } of decisions) {
            const through = written.at(-1)?.version ?? 0;
            const replay = project(talksId, log.slice(0, through));
            expect(status).toStrictEqual(replay);
            expect(stored(status)).toStrictEqual(replay);
            // Every snapshot the decision keeps is the replay of the log through it, and it
            // keeps one at every multiple of the interval and at every revision.
            expect(snapshots.map((s) => s.version)).toEqual(
              written.filter((e) => e.version % interval === 0 || isRevisionType(e.type)).map((e) => e.version),
            );
            for (const snapshot of snapshots) expect(snapshot).toStrictEqual(project(talksId, log.slice(0, snapshot.version)));
          }
        }),
        { numRuns: 250, ...budget },
      );
    },
    generous,
  );

  it(
    'a snapshot of a prefix, folded on with the rest, gives the replay of the whole log',
    () => {
      const split = fc
        .tuple(logArbitrary(30), fc.integer({ min: 0, max: 20 }), fc.gen())
        .map(([prefix, count, g]) => ({ prefix, log: extend(g, prefix, count, false) }));
      fc.assert(
        fc.property(split, ({ prefix, log }) => {
          const snapshot = stored(project(talksId, prefix));
          expect(project(talksId, log.slice(prefix.length), snapshot)).toStrictEqual(project(talksId, log));
        }),
        { numRuns: 200, ...budget },
      );
    },
    generous,
  );

  it(
    'replays a log read back from storage to the same status, every event counted once',
    () => {
      fc.assert(
        fc.property(logArbitrary(40), (log) => {
          const status = project(talksId, log);
          expect(project(talksId, JSON.parse(JSON.stringify(log)) as StoredEvent[])).toStrictEqual(status);
          const { retracted } = indexRevisions(log);
          const withoutEffect = log.filter((e) => retracted.has(e.version) && !isRevisionType(e.type)).length;
          const { events, developments, corrections, retractions } = status.counts;
          expect([events, status.version]).toEqual([log.length, log.length]);
          expect(developments + corrections + retractions + withoutEffect).toBe(events);
        }),
        { numRuns: 200, ...budget },
      );
    },
    generous,
  );
});
