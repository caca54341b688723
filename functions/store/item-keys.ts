import type { StoredEvent } from '../domain/submitted-event.js';
import type { TalksStatus } from '../domain/talks-status.js';

/**
 * Key building in one place. Events: pk = talksId, sk = version (1, 2, ...). Idempotency
 * records: pk = "event#<eventId>", sk = 0 (talks ids cannot contain "#", so they never
 * collide). State: the status item is pk = talksId, sk = 0; snapshots are sk = version.
 */
export const eventKey = (talksId: string, version: number) => ({ pk: talksId, sk: version });
export const idempotencyKey = (eventId: string) => ({ pk: `event#${eventId}`, sk: 0 });
export const statusKey = (talksId: string) => ({ pk: talksId, sk: 0 });
export const snapshotKey = (talksId: string, version: number) => ({ pk: talksId, sk: version });

/** The list index has one partition: talks are few (hundreds), their events many. */
export const listPartition = 'talks';

export interface StatusItem {
  pk: string;
  sk: 0;
  kind: 'status';
  version: number;
  listPk: string;
  /** The list index's sort key: see activityKeyOf. */
  activityKey: string;
  status: TalksStatus;
  /**
   * Changes on every write of the item, appends and rebuilds alike. Appends are
   * conditional on it, so an append that read the item before a rebuild replaced it
   * retries from the rebuilt status instead of overwriting it.
   */
  writeId: string;
  /** Which projection code wrote the status; a rebuild brings old items up to date. */
  projectionVersion: number;
}

/** Bump when evolve/project change what a status holds; then run the rebuild. */
export const projectionVersion = 1;

/**
 * The list index's sort key: the hour of the last activity, then the talks id. It changes
 * at most once an hour, so a talks receiving news moves its index entry once an hour rather
 * than on every append (an entry moved is two index writes); the list route orders each
 * hour's talks by their exact time. An item written before 2026-12-01 has the exact time
 * here (`<updatedAt>#<talksId>`): its first 13 characters are the same hour, so both layouts
 * group and sort alike.
 */
export const activityKeyOf = (updatedAt: string, talksId: string) => `${activityHourOf(updatedAt)}#${talksId}`;
/** `2025-01-13T09`: the hour of an ISO instant, also the first 13 characters of either key layout. */
export const activityHourOf = (key: string) => key.slice(0, 13);

/** What the list route shows of each talks, summarized from its status. */
export interface TalksSummary {
  talksId: string;
  title: string;
  phase: string;
  momentum: string;
  version: number;
  updatedAt: string;
  lastDevelopment: string | null;
}

export function toStatusItem(status: TalksStatus, writeId: string): StatusItem {
  return {
    writeId,
    projectionVersion,
    pk: status.talksId,
    sk: 0,
    kind: 'status',
    version: status.version,
    listPk: listPartition,
    activityKey: activityKeyOf(status.updatedAt, status.talksId),
    status,
  };
}

export const summarize = (status: TalksStatus): TalksSummary => ({
  talksId: status.talksId,
  title: status.title,
  phase: status.phase,
  momentum: status.momentum.label,
  version: status.version,
  updatedAt: status.updatedAt,
  lastDevelopment: status.lastDevelopment?.summary ?? null,
});

export const toEventItem = (event: StoredEvent) => ({ ...eventKey(event.talksId, event.version), kind: 'event', ...event });

/** Envelope fields first, in the contract's order, whatever order DynamoDB returns. */
const eventFieldOrder = [
  'talksId',
  'version',
  'eventId',
  'type',
  'occurredAt',
  'occurredPrecision',
  'reportedAt',
  'recordedAt',
  'recordedBy',
  'source',
  'data',
  'schemaVersion',
  'prevHash',
  'hash',
];

export function fromEventItem(item: Record<string, unknown>): StoredEvent {
  const event: Record<string, unknown> = {};
  for (const field of eventFieldOrder) if (item[field] !== undefined) event[field] = item[field];
  for (const [field, value] of Object.entries(item))
    if (!(field in event) && field !== 'pk' && field !== 'sk' && field !== 'kind') event[field] = value;
  return event as unknown as StoredEvent;
}

export interface IdempotencyItem {
  pk: string;
  sk: 0;
  kind: 'idempotency';
  talksId: string;
  version: number;
  contentHash: string;
}
