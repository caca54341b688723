import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAppend, identifySubmission } from '../../functions/domain/decide-append.js';
import { eventTypes, isRevisionType } from '../../functions/domain/event-catalog.js';
import { applyCorrections, indexRevisions, project } from '../../functions/domain/project.js';
import { isPlausible, type StoredEvent, type SubmittedEvent } from '../../functions/domain/submitted-event.js';
import type { TalksStatus } from '../../functions/domain/talks-status.js';
import { submitted } from '../support/event-builders.js';
import { type DevelopmentType, dataArbitraries, developmentTypes, envelopeArbitrary, time } from './event-arbitraries.js';
import { talksId } from './given.js';

/**
 * Live and replay agree: the status the store keeps, submission by submission, is exactly
 * what a full replay of the log gives. The logs are made by the store's own append
 * decision (which checks the append rules), so every log here is one the store accepts.
 */
type Draw = fc.GeneratorValue;
const draw = <T>(g: Draw, arb: fc.Arbitrary<T>): T => g(() => arb);

/** What the status item goes through between two appends: DynamoDB keeps JSON-like data. */
const stored = (status: TalksStatus): TalksStatus => JSON.parse(JSON.stringify(status)) as TalksStatus;

/**
 * No time limit on the run: a limit makes the verdict depend on the machine's speed (a loaded
 * machine stopped short and failed). The test timeouts below are generous instead.
 */
const budget = {};
const generous = 300_000;

function development(g: Draw, type: DevelopmentType): SubmittedEvent {
  return submitted(type, draw(g, dataArbitraries[type]), draw(g, envelopeArbitrary));
}

/** A retraction or a correction of an earlier event the rules allow, if there is one. */
function revision(g: Draw, log: readonly StoredEvent[]): SubmittedEvent | undefined {
  const { retracted } = indexRevisions(log);
  const kind = draw(g, fc.constantFrom('report.retracted', 'report.corrected'));
  const eligible = log.filter(
    (e) =>
      !retracted.has(e.version) &&
      e.type !== 'report.retracted' &&
      (kind === 'report.retracted' ? e.type !== 'talks.opened' : e.type !== 'report.corrected'),
  );
  if (eligible.length === 0) return undefined;
  const target = draw(g, fc.constantFrom(...eligible));
  const meta = { reason: 'Revised by the source', issuedBy: draw(g, fc.constantFrom('source', 'submitter', 'editor')) };
  if (kind === 'report.retracted') return submitted(kind, { targetVersion: target.version, ...meta });
  const fresh = draw(g, dataArbitraries[target.type as DevelopmentType]);
  const keys = draw(g, fc.subarray(Object.keys(fresh)));
  const occurredAt = draw(g, fc.option(time, { nil: undefined })) ?? (keys.length === 0 ? draw(g, time) : undefined);
  // A development cannot be corrected into having happened after it was reported: a later
  // valid time comes with the report's time moved too (append-rules, checkPlausibleAfter).
  const reportedAt =
    occurredAt !== undefined && Date.parse(occurredAt) > Date.parse(applyCorrections(target, indexRevisions(log)).reportedAt)
      ? occurredAt
      : undefined;
  const corrected = {
    ...(keys.length > 0 ? { data: Object.fromEntries(keys.map((k) => [k, fresh[k]])) } : {}),
    ...(occurredAt === undefined ? {} : { occurredAt }),
    ...(reportedAt === undefined ? {} : { reportedAt }),
  };
  return submitted(kind, { targetVersion: target.version, corrected, ...meta });
}

/** Whether the times of the development a revision touches still read plausibly after it. */
function readsPlausiblyAfter(log: readonly StoredEvent[], revision: SubmittedEvent): boolean {
  const next = { ...revision, version: log.length + 1 } as StoredEvent;
  const index = indexRevisions([...log, next]);
  const targetOf = (version: number) => log[version - 1];
  const target = targetOf((revision.data as { targetVersion: number }).targetVersion);
  const development = target?.type === 'report.corrected' ? targetOf(target.data.targetVersion) : target;
  return development === undefined || index.retracted.has(development.version) || isPlausible(applyCorrections(development, index));
}

/** A revision the rules allow, or none (a retraction that would bring back implausible times). */
function allowedRevision(g: Draw, log: readonly StoredEvent[]): SubmittedEvent | undefined {
  const drawn = revision(g, log);
  return drawn !== undefined && readsPlausiblyAfter(log, drawn) ? drawn : undefined;
}

/** One submission as the store decided it: what it stored, the status after it, its snapshots. */
interface Decided {
  stored: StoredEvent[];
  status: TalksStatus;
  snapshots: TalksStatus[];
}

/**
 * Extends a log with random submissions of 1 to 3 events, each decided by the store's own
 * append decision (decideAppend) on the status as stored after the one before: the first
 * event opens the talks, and a submission holds at most one revision of an earlier event.
 */
function appendRandom(g: Draw, log: StoredEvent[], count: number, withRevisions: boolean, interval = 50) {
  const result = [...log];
  const decisions: Decided[] = [];
  let live: TalksStatus | undefined = log.length === 0 ? undefined : project(talksId, log);
  while (result.length < log.length + count) {
    const size = Math.min(draw(g, fc.integer({ min: 1, max: 3 })), log.length + count - result.length);
    const events: SubmittedEvent[] = [];
    for (let i = 0; i < size; i += 1) {
      const first = result.length === 0 && i === 0;
      const wantsRevision =
        withRevisions &&
        !first &&
        result.length > 0 &&
        !events.some((e) => isRevisionType(e.type)) &&
        draw(g, fc.integer({ min: 0, max: 3 })) === 0;
      events.push(
        first
          ? development(g, 'talks.opened')
          : ((wantsRevision ? allowedRevision(g, result) : undefined) ?? development(g, draw(g, fc.constantFrom(...developmentTypes)))),
      );
    }
    const decision = decideAppend(
      { talksId, events: identifySubmission(events, randomUUID) },
      live === undefined ? undefined : stored(live),
      {
        now: new Date(Date.UTC(2025, 0, 13, 12, 0, result.length + 1)),
        principal: 'test',
        snapshotInterval: interval,
        log: result,
      },
    );
    result.push(...decision.stored);
    decisions.push(decision);
    live = decision.status;
  }
  return { log: result, decisions };
}

const extend = (g: Draw, log: StoredEvent[], count: number, withRevisions: boolean) => appendRandom(g, log, count, withRevisions).log;

const logArbitrary = (max: number, withRevisions = true) =>
  fc.tuple(fc.integer({ min: 1, max }), fc.gen()).map(([count, g]) => extend(g, [], count, withRevisions));

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
