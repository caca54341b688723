import { isRevisionType } from './event-catalog.js';
import { applyCorrections, applyEvent, Fold, indexRevisions, project, type RevisionIndex } from './project.js';
import type { StoredEvent } from './submitted-event.js';
import { initialStatus, type TalksStatus } from './talks-status.js';
import { validTimeOf } from './valid-time.js';

/**
 * The one replay policy every reader follows (the append, atVersion, asOf, validAt, the
 * audit and the rebuild):
 *
 * - A development folds onto the status before it ("live"): nothing earlier changes.
 * - A revision (correction or retraction) can change any earlier development's effect,
 *   so the status right after it is the projection of the whole log through it.
 * - A snapshot is kept at every multiple of the interval and at every revision. Between
 *   two snapshots there is therefore no revision, and any version is the nearest snapshot
 *   at or before it plus fewer than an interval of live folds, however it was batched.
 * - Where snapshots are missing (a State table not yet rebuilt, or data stored before
 *   this policy, when the snapshot of a revision sat at its submission's end), a reader
 *   that meets a revision after its snapshot replays the prefix instead of answering wrong.
 */

/** What a live fold assumes: no revision among the events folded. */
const noRevisions: RevisionIndex = indexRevisions([]);

/** Whether the status after this event is kept as a snapshot. */
export const snapshotDue = (event: Pick<StoredEvent, 'version' | 'type'>, interval: number): boolean =>
  event.version % interval === 0 || isRevisionType(event.type);

/** Whether folding these events onto an earlier status needs the log before them. */
export const needsPrefix = (events: readonly Pick<StoredEvent, 'type'>[]): boolean => events.some((e) => isRevisionType(e.type));

/** Folds one development onto the status before it. A revision needs the prefix instead. */
export function foldLive(status: TalksStatus, event: StoredEvent): TalksStatus {
  if (isRevisionType(event.type)) throw new Error(`version ${event.version} is a revision: replay the log through it`);
  return applyEvent(status, event, noRevisions);
}

/**
 * The status after `events`, folded onto `from` (a snapshot or the status before them),
 * or undefined when a revision is among them and the caller must replay the prefix.
 */
export function foldAfterSnapshot(talksId: string, from: TalksStatus | undefined, events: readonly StoredEvent[]): TalksStatus | undefined {
  if (needsPrefix(events)) return undefined;
  return events.reduce(foldLive, from ?? initialStatus(talksId));
}

/** The status right after the last event of a prefix of the log (versions 1..n). */
export const replayPrefix = (talksId: string, prefix: readonly StoredEvent[]): TalksStatus => project(talksId, prefix);

export interface FoldResult {
  status: TalksStatus;
  /** The statuses to keep as snapshots, in version order. */
  snapshots: TalksStatus[];
}

/**
 * Folds new events onto the status as the store keeps it, event by event: live for a
 * development, a replay of the log through it for a revision (`history` is the log before
 * `events`; it is needed only when they hold a revision). Reports the snapshots due.
 */
export function foldNewEvents(
  talksId: string,
  from: TalksStatus,
  events: readonly StoredEvent[],
  options: { snapshotInterval: number; history?: readonly StoredEvent[] },
): FoldResult {
  let status = from;
  const snapshots: TalksStatus[] = [];
  const log = needsPrefix(events) ? [...requiredHistory(options.history), ...events] : [];
  for (const event of events) {
    status = isRevisionType(event.type) ? replayPrefix(talksId, log.slice(0, event.version)) : foldLive(status, event);
    if (snapshotDue(event, options.snapshotInterval)) snapshots.push(status);
  }
  return { status, snapshots };
}

function requiredHistory(history: readonly StoredEvent[] | undefined): readonly StoredEvent[] {
  if (history === undefined) throw new Error('a revision needs the log before it');
  return history;
}

/**
 * What the store knew at a moment of transaction time, from the latest snapshot recorded
 * by then and the events after it (recordedAt never decreases with the version, so the
 * events known then are a prefix of them); undefined when a revision is among them.
 */
export function statusKnownAt(
  talksId: string,
  snapshot: TalksStatus | undefined,
  eventsAfter: readonly StoredEvent[],
  at: string,
): TalksStatus | undefined {
  return foldAfterSnapshot(
    talksId,
    snapshot,
    eventsAfter.filter((e) => e.recordedAt <= at),
  );
}

/**
 * The talks at a moment of valid time, as known now: every development that happened by
 * then (including ones reported later), with every correction and retraction known today
 * applied; undefined when none had happened by then (not even the opening).
 */
export function statusValidAt(talksId: string, log: readonly StoredEvent[], at: string): TalksStatus | undefined {
  const index = indexRevisions(log.filter((e) => isRevisionType(e.type)));
  const fold = new Fold(initialStatus(talksId), index);
  let opened = false;
  for (const event of log) {
    if (isRevisionType(event.type) || index.retracted.has(event.version)) continue;
    if (validTimeOf(applyCorrections(event, index)) > at) continue;
    if (event.type === 'talks.opened') opened = true;
    fold.push(event);
  }
  return opened ? fold.status : undefined;
}

/**
 * Replays a log streamed in version order, in constant memory: the fold needs every
 * revision before it starts, so a log that holds one is folded again once its revisions
 * are known (`revisions`, collected on the first pass). Used by the audit.
 */
export class LogReplay {
  private fold: Fold;

  constructor(
    private readonly talksId: string,
    revisions: readonly StoredEvent[] = [],
  ) {
    this.fold = new Fold(initialStatus(talksId), indexRevisions(revisions));
  }

  push(event: StoredEvent): void {
    this.fold.push(event);
  }

  /** The status after the events pushed so far. */
  get status(): TalksStatus {
    return this.fold.status;
  }

  /** Starts over with the revisions the first pass found. */
  restart(revisions: readonly StoredEvent[]): void {
    this.fold = new Fold(initialStatus(this.talksId), indexRevisions(revisions));
  }
}
