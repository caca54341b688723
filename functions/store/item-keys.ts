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
  activityKey: string;
  summary: TalksSummary;
  status: TalksStatus;
  /**
   * Changes on every write of the item, appends and rebuilds alike. Appends are
   * conditional on it, so an append that read the item before a rebuild replaced it
   * retries from the rebuilt status instead of overwriting it.
   */
  writeId: string;
  /** Which projection code wrote the status; a rebuild brings old items up to date. */
  projectionVersion: number;
  /** The Merkle tree's frontier and base (tree-items.ts); absent before the talks' tree is built. */
  frontier?: Uint8Array;
  treeBase?: number;
}

/** Bump when evolve/project change what a status holds; then run the rebuild. */
export const projectionVersion = 1;

/** What the list route shows of each talks; projected alone into the list index. */
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
    activityKey: `${status.updatedAt}#${status.talksId}`,
    summary: summarize(status),
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

/** The item's keys and the tree's attributes (tree-items.ts): never part of the event. */
const itemOnlyAttributes = new Set(['pk', 'sk', 'kind', 'tree', 'cp']);

export function fromEventItem(item: Record<string, unknown>): StoredEvent {
  const event: Record<string, unknown> = {};
  for (const field of eventFieldOrder) if (item[field] !== undefined) event[field] = item[field];
  for (const [field, value] of Object.entries(item)) if (!(field in event) && !itemOnlyAttributes.has(field)) event[field] = value;
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
