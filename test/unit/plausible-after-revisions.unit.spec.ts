import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAppend, identifySubmission } from '../../functions/domain/decide-append.js';
import { DomainError } from '../../functions/domain/domain-errors.js';
import { applyCorrections, indexRevisions } from '../../functions/domain/project.js';
import { isPlausible, type StoredEvent, type SubmittedEvent } from '../../functions/domain/submitted-event.js';
import type { TalksStatus } from '../../functions/domain/talks-status.js';
import { submitted } from '../support/event-builders.js';
import { dataArbitraries, envelopeArbitrary, time } from './event-arbitraries.js';

/**
 * Whatever corrections and retractions clients send, the log the store keeps never reads
 * implausibly: every development, as its revisions make it read, happened no later than
 * it was reported (beyond its precision window). A revision that would break this is
 * refused (a 400 naming the corrected time, or a 422 for a retraction) and writes nothing.
 */
const talksId = 'plausible-property';
const precision = fc.constantFrom(undefined, 'day', 'week');

/** A revision attempt: times drawn freely, so many of them are implausible. */
const attempt = fc.record({
  kind: fc.constantFrom('correct', 'correct', 'retract'),
  pick: fc.nat(),
  occurredAt: fc.option(time, { nil: undefined }),
  reportedAt: fc.option(time, { nil: undefined }),
});

const scenario = fc.record({
  developments: fc.array(fc.tuple(dataArbitraries['talks.stalled'], envelopeArbitrary, precision), { minLength: 1, maxLength: 4 }),
  attempts: fc.array(attempt, { minLength: 1, maxLength: 8 }),
});

type Attempt = typeof attempt extends fc.Arbitrary<infer A> ? A : never;

function revisionFor(a: Attempt, log: StoredEvent[]): SubmittedEvent | undefined {
  const { retracted } = indexRevisions(log);
  const meta = { reason: 'Revised', issuedBy: 'source' };
  if (a.kind === 'retract') {
    const corrections = log.filter((e) => e.type === 'report.corrected' && !retracted.has(e.version));
    const target = corrections[a.pick % Math.max(corrections.length, 1)];
    return target === undefined ? undefined : submitted('report.retracted', { targetVersion: target.version, ...meta });
  }
  const developments = log.filter((e) => e.type === 'talks.stalled' && !retracted.has(e.version));
  const target = developments[a.pick % developments.length] as StoredEvent;
  const corrected = {
    ...(a.occurredAt === undefined ? {} : { occurredAt: a.occurredAt }),
    ...(a.reportedAt === undefined ? {} : { reportedAt: a.reportedAt }),
  };
  return submitted('report.corrected', {
    targetVersion: target.version,
    corrected:
      Object.keys(corrected).length > 0 ? corrected : { occurredAt: a.pick % 2 === 0 ? '2025-01-01T00:00:00Z' : '2030-01-01T00:00:00Z' },
    ...meta,
  });
}

const decide = (log: StoredEvent[], status: TalksStatus | undefined, events: SubmittedEvent[]) =>
  decideAppend({ talksId, events: identifySubmission(events, randomUUID) }, status, {
    now: new Date(Date.UTC(2025, 0, 13, 12, 0, log.length + 1)),
    principal: 'test',
    snapshotInterval: 50,
    log,
  });

describe('plausible dates after any revisions', () => {
  it('keeps every development reading plausibly, refusing the revisions that would not', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(scenario, ({ developments, attempts }) => {
        const opening = submitted(
          'talks.opened',
          { title: 'Talks', parties: ['A', 'B'] },
          { occurredAt: '2025-01-01T00:00:00Z', reportedAt: '2025-01-01T00:00:00Z' },
        );
        const stalls = developments.map(([data, envelope, p]) =>
          submitted('talks.stalled', data, { ...envelope, ...(p === undefined ? {} : { occurredPrecision: p }) }),
        );
        let first = decide([], undefined, [opening, ...stalls]);
        let log = first.stored;
        let status = first.status;
        for (const a of attempts) {
          const revision = revisionFor(a, log);
          if (revision === undefined) continue;
          try {
            first = decide(log, JSON.parse(JSON.stringify(status)) as TalksStatus, [revision]);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect([400, 422]).toContain((error as DomainError).status);
            refused += 1;
            continue;
          }
          accepted += 1;
          log = [...log, ...first.stored];
          status = first.status;
          const index = indexRevisions(log);
          for (const e of log) {
            if (e.type !== 'talks.stalled' || index.retracted.has(e.version)) continue;
            expect(isPlausible(applyCorrections(e, index)), `version ${e.version}`).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
    // The property saw both sides: revisions kept and revisions refused.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });
});
