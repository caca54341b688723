import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { decideAppend, identifySubmission } from '../../functions/domain/decide-append.js';
import { isRevisionType } from '../../functions/domain/event-catalog.js';
import { applyCorrections, indexRevisions, project } from '../../functions/domain/project.js';
import { isPlausible, type StoredEvent, type SubmittedEvent } from '../../functions/domain/submitted-event.js';
import type { TalksStatus } from '../../functions/domain/talks-status.js';
import { submitted } from '../support/event-builders.js';
import { type DevelopmentType, dataArbitraries, developmentTypes, envelopeArbitrary, time } from './event-arbitraries.js';
import { talksId } from './given.js';

/**
 * Logs the store accepts: made by the store's own append decision (which checks the append
 * rules), submission by submission, with revisions of earlier events among them.
 */
export type Draw = fc.GeneratorValue;
export const draw = <T>(g: Draw, arb: fc.Arbitrary<T>): T => g(() => arb);

/** What the status item goes through between two appends: DynamoDB keeps JSON-like data. */
export const stored = (status: TalksStatus): TalksStatus => JSON.parse(JSON.stringify(status)) as TalksStatus;

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
export interface Decided {
  stored: StoredEvent[];
  status: TalksStatus;
  snapshots: TalksStatus[];
}

/**
 * Extends a log with random submissions of 1 to 3 events, each decided by the store's own
 * append decision (decideAppend) on the status as stored after the one before: the first
 * event opens the talks, and a submission holds at most one revision of an earlier event.
 */
export function appendRandom(g: Draw, log: StoredEvent[], count: number, withRevisions: boolean, interval = 50) {
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

export const extend = (g: Draw, log: StoredEvent[], count: number, withRevisions: boolean) =>
  appendRandom(g, log, count, withRevisions).log;

export const logArbitrary = (max: number, withRevisions = true) =>
  fc.tuple(fc.integer({ min: 1, max }), fc.gen()).map(([count, g]) => extend(g, [], count, withRevisions));
