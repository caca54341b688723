import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRevisions } from '../../functions/domain/append-rules.js';
import { eventTypes, isRevisionType } from '../../functions/domain/event-catalog.js';
import { genesisHash } from '../../functions/domain/hash-chain.js';
import { applyEvent, indexRevisions, project } from '../../functions/domain/project.js';
import type { StoredEvent, SubmittedEvent } from '../../functions/domain/submitted-event.js';
import type { TalksStatus } from '../../functions/domain/talks-status.js';
import { storeAll, submitted } from '../support/event-builders.js';
import { type DevelopmentType, dataArbitraries, developmentTypes, envelopeArbitrary, time } from './event-arbitraries.js';
import { talksId } from './given.js';

/**
 * Live and replay agree: the status the store keeps, event by event, is exactly what a
 * full replay of the log gives. Random logs obey the append rules (checkRevisions runs on
 * every revision), so every log here is one the store would accept.
 */
type Draw = fc.GeneratorValue;
const draw = <T>(g: Draw, arb: fc.Arbitrary<T>): T => g(() => arb);

/** What the status item goes through between two appends: DynamoDB keeps JSON-like data. */
const stored = (status: TalksStatus): TalksStatus => JSON.parse(JSON.stringify(status)) as TalksStatus;

/** Shrinking a long log can take minutes: report the smallest counterexample found by then. */
const budget = { interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true };

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
  const occurredAt = draw(g, fc.option(time, { nil: undefined }));
  const corrected = {
    ...(keys.length > 0 ? { data: Object.fromEntries(keys.map((k) => [k, fresh[k]])) } : {}),
    ...(occurredAt !== undefined || keys.length === 0 ? { occurredAt: occurredAt ?? draw(g, time) } : {}),
  };
  return submitted(kind, { targetVersion: target.version, corrected, ...meta });
}

/** Extends a log with random events, the first of a talks being its opening. */
function extend(g: Draw, log: StoredEvent[], count: number, withRevisions: boolean): StoredEvent[] {
  const result = [...log];
  for (let i = 0; i < count; i += 1) {
    const wantsRevision = withRevisions && result.length > 0 && draw(g, fc.integer({ min: 0, max: 3 })) === 0;
    const event =
      result.length === 0
        ? development(g, 'talks.opened')
        : ((wantsRevision ? revision(g, result) : undefined) ?? development(g, draw(g, fc.constantFrom(...developmentTypes))));
    const version = result.length + 1;
    const [next] = storeAll(talksId, [event], {
      startVersion: version,
      prevHash: result.at(-1)?.hash ?? genesisHash,
      recordedAt: () => new Date(Date.UTC(2025, 0, 13, 12, 0, version)).toISOString(),
    });
    result.push(next as StoredEvent);
    if (isRevisionType(event.type)) checkRevisions(result, version);
  }
  return result;
}

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

  it('applying each event to the stored status gives what a full replay gives, at every step', () => {
    fc.assert(
      fc.property(logArbitrary(40), (log) => {
        let live = project(talksId, []);
        const noRevisions = indexRevisions([]);
        log.forEach((event, i) => {
          const known = log.slice(0, i + 1);
          // As the store does: a revision rebuilds from the log, anything else is folded in.
          live = isRevisionType(event.type) ? project(talksId, known) : applyEvent(stored(live), event, noRevisions);
          const replay = project(talksId, known);
          expect(live).toStrictEqual(replay);
          expect(stored(live)).toStrictEqual(replay);
        });
      }),
      { numRuns: 250, ...budget },
    );
  });

  it('a snapshot of a prefix, folded on with the rest, gives the replay of the whole log', () => {
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
  });

  it('replays a log read back from storage to the same status, every event counted once', () => {
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
  });
});
