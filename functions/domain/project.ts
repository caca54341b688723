import { type EventType, eventCatalog, isRevisionType } from './event-catalog.js';
import { develop, evolve, recordWithoutEffect, withMomentumAt } from './evolve.js';
import type { StoredEvent } from './submitted-event.js';
import { type CorrectionNote, initialStatus, type TalksStatus } from './talks-status.js';
import { upcast } from './upcasters.js';

/**
 * What the revisions in a log say about the developments they point at. A correction
 * replaces fields of its target; a retraction removes its target's effect. Retracting a
 * correction undoes the correction. Built from the log as far as it is known.
 */
export interface RevisionIndex {
  retracted: Set<number>;
  corrections: Map<number, StoredEvent[]>;
}

export function indexRevisions(events: Iterable<StoredEvent>): RevisionIndex {
  const retracted = new Set<number>();
  const corrections = new Map<number, StoredEvent[]>();
  const correctionTargets = new Map<number, number>();
  for (const event of events) {
    if (event.type === 'report.retracted') {
      retracted.add(event.data.targetVersion);
      const correctedTarget = correctionTargets.get(event.data.targetVersion);
      if (correctedTarget !== undefined) {
        const list = corrections.get(correctedTarget)?.filter((c) => c.version !== event.data.targetVersion) ?? [];
        corrections.set(correctedTarget, list);
      }
    } else if (event.type === 'report.corrected') {
      correctionTargets.set(event.version, event.data.targetVersion);
      corrections.set(event.data.targetVersion, [...(corrections.get(event.data.targetVersion) ?? []), event]);
    }
  }
  return { retracted, corrections };
}

/**
 * The development as its corrections say it should read; the stored event is untouched.
 * The result carries `corrections`: for each correction, its reason, who issued it and the
 * values the corrected fields had before it, so the status can show them where they apply.
 */
export function applyCorrections(event: StoredEvent, index: RevisionIndex): StoredEvent {
  const corrections = index.corrections.get(event.version);
  if (corrections === undefined || corrections.length === 0) return event;
  let corrected = event;
  const notes: CorrectionNote[] = [];
  for (const c of corrections) {
    if (c.type !== 'report.corrected') continue;
    const fields = c.data.corrected;
    const before = corrected.data as Record<string, unknown>;
    const original: Record<string, unknown> = {};
    if (fields.occurredAt !== undefined) original.occurredAt = corrected.occurredAt ?? null;
    if (fields.reportedAt !== undefined) original.reportedAt = corrected.reportedAt;
    for (const key of Object.keys(fields.data ?? {})) original[key] = before[key] ?? null;
    notes.push({ version: c.version, reason: c.data.reason, issuedBy: c.data.issuedBy, original });
    corrected = {
      ...corrected,
      ...(fields.occurredAt === undefined ? {} : { occurredAt: fields.occurredAt }),
      ...(fields.reportedAt === undefined ? {} : { reportedAt: fields.reportedAt }),
      data: fields.data === undefined ? corrected.data : normalised(corrected.type, { ...corrected.data, ...fields.data }),
    } as StoredEvent;
  }
  return (notes.length === 0 ? corrected : { ...corrected, corrections: notes }) as StoredEvent;
}

/**
 * Corrected data reads like submitted data (times in UTC, strings trimmed, defaults set):
 * the patch is stored as the client sent it. checkRevisions made sure it parses.
 */
function normalised(type: EventType, data: Record<string, unknown>): unknown {
  const result = eventCatalog[type].data.safeParse(data);
  return result.success ? result.data : data;
}

/** Folds one stored event into the status, given what the log says about revisions. */
export function applyEvent(status: TalksStatus, event: StoredEvent, index: RevisionIndex): TalksStatus {
  if (isRevisionType(event.type) || index.retracted.has(event.version)) return recordWithoutEffect(status, event);
  return evolve(status, applyCorrections(upcast(event), index));
}

/**
 * The status after a whole log (in version order): revisions are resolved first, then
 * every development is folded with evolve.
 */
export function project(talksId: string, events: readonly StoredEvent[], from: TalksStatus = initialStatus(talksId)): TalksStatus {
  const fold = new Fold(from, indexRevisions(events));
  for (const event of events) fold.push(event);
  return fold.status;
}

/**
 * A fold that judges momentum only when its status is read. Momentum depends only on the
 * status's assessments and signals and on when the last development was recorded: judged
 * once at the end, it equals what applying event by event (applyEvent) leaves, at a
 * fraction of the cost (bench/replay.bench.ts).
 */
export class Fold {
  private current: TalksStatus;
  /** When the last development folded was recorded, while its momentum is still to judge. */
  private momentumDue: string | undefined;

  constructor(
    from: TalksStatus,
    private readonly index: RevisionIndex,
  ) {
    this.current = from;
  }

  push(event: StoredEvent): void {
    if (isRevisionType(event.type) || this.index.retracted.has(event.version)) {
      this.current = recordWithoutEffect(this.current, event);
      return;
    }
    this.current = develop(this.current, applyCorrections(upcast(event), this.index));
    this.momentumDue = event.recordedAt;
  }

  get status(): TalksStatus {
    if (this.momentumDue !== undefined) {
      this.current = withMomentumAt({ ...this.current }, this.momentumDue);
      this.momentumDue = undefined;
    }
    return this.current;
  }
}
