import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRevisionType } from '../../functions/domain/event-catalog.js';
import { applyEvent, Fold, indexRevisions, project } from '../../functions/domain/project.js';
import { foldLive, LogReplay } from '../../functions/domain/replay-policy.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { initialStatus, limits, type TalksStatus } from '../../functions/domain/talks-status.js';
import { storeAll, submitted } from '../support/event-builders.js';
import { type DevelopmentType, dataArbitraries, envelopeArbitrary } from './event-arbitraries.js';
import { talksId } from './given.js';
import { draw, logArbitrary } from './log-arbitraries.js';

/**
 * The fold's shortcuts (lists shared between one status and the next, entries inserted
 * instead of sorted, the fresh copy completed in place, caches keyed by what they were
 * computed from) must not change what any status says, nor let one step, one status read
 * or one talks reach into another. The reference folds event by event with nothing shared:
 * every status and every event it sees is a fresh copy, as if read back from storage.
 */
const fresh = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const generous = 300_000;

function referenceFold(log: readonly StoredEvent[]): TalksStatus {
  const index = indexRevisions(fresh(log));
  return log.reduce((status, event) => applyEvent(fresh(status), fresh(event), index), initialStatus(talksId));
}

/** Every status an event-by-event read gives, kept with its JSON as it was when read. */
function keptReads(read: (event: StoredEvent) => TalksStatus, log: readonly StoredEvent[]) {
  return log.map((event) => {
    const status = read(event);
    return { status, json: JSON.stringify(status) };
  });
}

/**
 * Long logs of the developments that fill the bounded lists (assessments, signals,
 * exchanges, an agreement's steps, extensions and approvals), so that every list reaches
 * its bound and drops its oldest entries. Stored without the append rules: the fold reads
 * whatever the log says.
 */
const filling: DevelopmentType[] = [
  // Twice: ten long logs drawn with it once left the assessments short of their bound in 5 of 200 seeds.
  'progress.assessed',
  'progress.assessed',
  // Weighed three times: about half the exchanges drawn repeat an exchange id (a competing count).
  'exchange.carried_out',
  'exchange.carried_out',
  'exchange.carried_out',
  'agreement.reached',
  'agreement.took_effect',
  'agreement.extended',
  'agreement.breached',
  'agreement.approval_decided',
  'agreement.suspended',
  'talks.stalled',
  'talks.resumed',
  'statement.issued',
  'deadline.set',
];
const longLog = fc.tuple(fc.integer({ min: 150, max: 300 }), fc.gen()).map(([count, g]) =>
  storeAll(talksId, [
    submitted('talks.opened', draw(g, dataArbitraries['talks.opened'])),
    ...Array.from({ length: count }, () => {
      const type = draw(g, fc.constantFrom(...filling));
      const data = { ...draw(g, dataArbitraries[type]) };
      // The arbitrary names one of three exchanges five times in six, which leaves the list
      // short of its bound; half the exchanges here are new ones instead.
      if (type === 'exchange.carried_out' && draw(g, fc.boolean())) delete data.exchangeId;
      return submitted(type, data, draw(g, envelopeArbitrary));
    }),
  ]),
);

describe('the fold shares nothing that changes a status', () => {
  it(
    'gives, after every prefix of a log with revisions, the JSON a fold of fresh copies gives',
    () => {
      fc.assert(
        fc.property(logArbitrary(40), (log) => {
          for (let n = 1; n <= log.length; n += 1) {
            const prefix = log.slice(0, n);
            const expected = referenceFold(prefix);
            const status = project(talksId, prefix);
            expect(JSON.stringify(status), `after version ${n}`).toBe(JSON.stringify(expected));
            expect(status).toStrictEqual(expected);
          }
        }),
        { numRuns: 150 },
      );
    },
    generous,
  );

  it('draws long logs whose bounded lists reach their bounds', () => {
    const finals = fc.sample(longLog, 10).map((log) => project(talksId, log));
    const full = (pick: (s: TalksStatus) => number, bound: number) => finals.some((s) => pick(s) === bound);
    expect(full((s) => s.assessments.length, limits.assessments)).toBe(true);
    expect(full((s) => s.signals.length, limits.signals)).toBe(true);
    expect(full((s) => s.exchanges.items.length, limits.exchanges)).toBe(true);
    expect(full((s) => Math.max(...s.agreements.map((a) => a.steps.length)), limits.agreementSteps)).toBe(true);
  });

  it(
    'gives the same on long logs, event by event as the append folds them, where the bounded lists drop their oldest',
    () => {
      fc.assert(
        fc.property(longLog, (log) => {
          let status = initialStatus(talksId);
          const live = keptReads((event) => {
            status = foldLive(status, event);
            return status;
          }, log);
          let reference = initialStatus(talksId);
          log.forEach((event, i) => {
            reference = applyEvent(fresh(reference), fresh(event), indexRevisions([]));
            expect(live[i]?.json, `after version ${event.version}`).toBe(JSON.stringify(reference));
          });
          for (const kept of live) expect(JSON.stringify(kept.status)).toBe(kept.json);
          expect(JSON.stringify(project(talksId, log))).toBe(JSON.stringify(reference));
        }),
        { numRuns: 30 },
      );
    },
    generous,
  );

  it(
    'never changes a status once read: the events after it leave it equal to its JSON then',
    () => {
      fc.assert(
        fc.property(logArbitrary(60), (log) => {
          const revisions = log.filter((e) => isRevisionType(e.type));
          const replay = new LogReplay(talksId, revisions);
          const replayed = keptReads((event) => {
            replay.push(event);
            return replay.status;
          }, log);
          let status = initialStatus(talksId);
          const index = indexRevisions(log);
          const folded = keptReads((event) => {
            status = applyEvent(status, event, index);
            return status;
          }, log);
          for (const kept of [...replayed, ...folded]) expect(JSON.stringify(kept.status)).toBe(kept.json);
          // Reading at every event and reading once at the end agree.
          expect(replayed.at(-1)?.json).toBe(JSON.stringify(project(talksId, log)));
          expect(folded.at(-1)?.json).toBe(replayed.at(-1)?.json);
        }),
        { numRuns: 150 },
      );
    },
    generous,
  );

  it(
    'keeps talks apart: two logs folded in turn give what each gives alone',
    () => {
      fc.assert(
        fc.property(logArbitrary(40), logArbitrary(40), (a, b) => {
          const [alone, other] = [project(talksId, a), project(talksId, b)];
          const foldA = new Fold(initialStatus(talksId), indexRevisions(a));
          const foldB = new Fold(initialStatus(talksId), indexRevisions(b));
          for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
            const [ea, eb] = [a[i], b[i]];
            if (ea !== undefined) foldA.push(ea);
            if (eb !== undefined) foldB.push(eb);
            if (i % 5 === 0) void [foldA.status, foldB.status];
          }
          expect(JSON.stringify(foldA.status)).toBe(JSON.stringify(alone));
          expect(JSON.stringify(foldB.status)).toBe(JSON.stringify(other));
        }),
        { numRuns: 100 },
      );
    },
    generous,
  );
});
