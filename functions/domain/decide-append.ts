import { checkOpening, checkRevisions } from './append-rules.js';
import { ConflictError, ValidationError } from './domain-errors.js';
import { eventCatalog } from './event-catalog.js';
import { canonicalJson, genesisHash, hashEvent, sha256Hex } from './hash-chain.js';
import { eventLeafHash } from './merkle-tree.js';
import { foldNewEvents, needsPrefix } from './replay-policy.js';
import type { StoredEvent, SubmittedEvent } from './submitted-event.js';
import { initialStatus, type TalksStatus } from './talks-status.js';
import { extendTree, type TreeExtension } from './tree-nodes.js';

/**
 * The append decision, in Emmett's spirit (`decide(command, state) → events`): given the
 * current status, a submission and the context as data, it returns the events to store,
 * the status after them and the snapshots to keep, or throws a domain error. No I/O, no
 * clock, no ids: the store reads, writes and retries around it.
 */

/** A submitted event with its idempotency key and the hash of its content. */
export interface IdentifiedEvent {
  readonly event: SubmittedEvent & { eventId: string };
  /** What a resend must match to be a replay rather than an id reused for other content. */
  readonly contentHash: string;
}

/** Gives every event its id (the client's, or a new one) and its content hash. */
export function identifySubmission(events: readonly SubmittedEvent[], newId: () => string): IdentifiedEvent[] {
  const seen = new Set<string>();
  return events.map((submitted, i) => {
    const eventId = submitted.eventId ?? newId();
    if (seen.has(eventId)) throw new ValidationError([{ field: `events/${i}/eventId`, message: 'duplicated within the submission' }]);
    seen.add(eventId);
    const event = { ...submitted, eventId };
    return { event, contentHash: sha256Hex(canonicalJson(event)) };
  });
}

export interface AppendCommand {
  readonly talksId: string;
  /** The events still to store, in submission order (replays already left out). */
  readonly events: readonly IdentifiedEvent[];
  /** From If-Match: the version the client last saw. */
  readonly expectedVersion?: number;
}

export interface AppendContext {
  /** The server's clock, read once for the submission. */
  readonly now: Date;
  /** Who submits: the token's subject. */
  readonly principal: string;
  readonly snapshotInterval: number;
  /** The log before the submission: needed only when it holds a revision (see needsLog). */
  readonly log?: readonly StoredEvent[];
  /** The Merkle tree's frontier at the current version (the status item keeps it); none for a new talks. */
  readonly frontier?: readonly Uint8Array[];
}

export interface AppendDecision {
  readonly stored: StoredEvent[];
  readonly status: TalksStatus;
  readonly snapshots: TalksStatus[];
  /**
   * The tree after the new events: the nodes each one completes (stored in its item), the
   * frontier and the root the new head's checkpoint signs. Absent only when the talks'
   * tree was never built (a talks stored before trees, not yet rebuilt).
   */
  readonly tree?: TreeExtension;
}

/** Whether deciding on these events needs the log before them (a revision does). */
export const needsLog = (events: readonly IdentifiedEvent[]): boolean => needsPrefix(events.map((e) => e.event));

export function decideAppend(command: AppendCommand, current: TalksStatus | undefined, context: AppendContext): AppendDecision {
  const { talksId, events, expectedVersion } = command;
  const currentVersion = current?.version ?? 0;
  if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
    throw new ConflictError('version-mismatch', `Expected version ${expectedVersion} but the talks is at version ${currentVersion}`, {
      currentVersion,
      expectedVersion,
    });
  }
  checkOpening(
    talksId,
    currentVersion,
    events.map((e) => e.event),
  );
  const stored = stamp(talksId, current, events, context);
  if (context.log !== undefined && needsPrefix(stored)) checkRevisions([...context.log, ...stored], currentVersion + 1);
  const { status, snapshots } = foldNewEvents(talksId, current ?? initialStatus(talksId), stored, {
    snapshotInterval: context.snapshotInterval,
    ...(context.log === undefined ? {} : { history: context.log }),
  });
  const frontier = context.frontier ?? (currentVersion === 0 ? [] : undefined);
  const tree =
    frontier === undefined
      ? undefined
      : extendTree(
          currentVersion,
          frontier,
          stored.map((e) => eventLeafHash(e.hash)),
        );
  return { stored, status, snapshots, ...(tree === undefined ? {} : { tree }) };
}

/**
 * Versions, transaction time, recorder, schema versions and the hash chain. Transaction
 * time never decreases within a talks, whatever the server clocks say.
 */
export function stamp(
  talksId: string,
  current: Pick<TalksStatus, 'version' | 'updatedAt' | 'headHash'> | undefined,
  events: readonly IdentifiedEvent[],
  context: Pick<AppendContext, 'now' | 'principal'>,
): StoredEvent[] {
  const now = context.now.toISOString();
  const recordedAt = current !== undefined && current.updatedAt > now ? current.updatedAt : now;
  let prevHash = current?.headHash || genesisHash;
  return events.map(({ event }, i) => {
    const withoutHash = {
      ...event,
      talksId,
      version: (current?.version ?? 0) + i + 1,
      recordedAt,
      recordedBy: context.principal,
      schemaVersion: eventCatalog[event.type].schemaVersion,
      prevHash,
    };
    const storedEvent = { ...withoutHash, hash: hashEvent(withoutHash) } as StoredEvent;
    prevHash = storedEvent.hash;
    return storedEvent;
  });
}
