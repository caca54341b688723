import type { StoredEvent } from '../domain/submitted-event.js';
import type { TalksStatus } from '../domain/talks-status.js';

/**
 * Key building in one place. Events: pk = talksId, sk = version (1, 2, ...). Idempotency
 * records: pk = "event#<eventId>", sk = 0 (talks ids cannot contain "#", so they never
 * collide). State: the status item is pk = talksId, sk = 0; snapshots are sk = version.
 */
export const eventKey = (talksId: string, version: number) => ({ pk: talksId, sk: version });
export const idempotencyKey = (eventId: string) => ({ pk: `${idempotencyKeyPrefix}${eventId}`, sk: 0 as const });
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
  /** The Merkle tree's frontier and base (tree-items.ts); absent before the talks' tree is built. */
  frontier?: Uint8Array;
  treeBase?: number;
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

/**
 * The event item. Since 2026-12-01 it stores the event compactly, and reads give back
 * exactly the stored event (every field, every value; the hash verifies): the talks id and
 * the version are the item's keys and are not repeated; the two hashes are their 32 bytes
 * (binary) rather than 64 hex characters; `occurredAt`, `reportedAt` and `recordedAt` are
 * epoch milliseconds whenever that number gives back the very same string. `source` and
 * `data` stay maps, so the stream's images and a look at the table stay legible. Items
 * written before (every field as in the API) are read as they are.
 */
export const toEventItem = (event: StoredEvent) => {
  const { talksId: _t, version: _v, prevHash, hash, ...rest } = event;
  const item: Record<string, unknown> = { ...eventKey(event.talksId, event.version), kind: 'event', ...rest };
  for (const field of timeFields) if (typeof item[field] === 'string') item[field] = compactTime(item[field] as string);
  item.prevHash = compactHash(prevHash);
  item.hash = compactHash(hash);
  return item;
};

const timeFields = ['occurredAt', 'reportedAt', 'recordedAt'] as const;
const compactTime = (iso: string): string | number => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : iso;
};
const hex64 = /^[0-9a-f]{64}$/;
export const compactHash = (hash: string): string | Uint8Array => (hex64.test(hash) ? Buffer.from(hash, 'hex') : hash);
export const hashText = (value: unknown): unknown => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value);

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

/** Either layout back to the stored event. */
export function fromEventItem(item: Record<string, unknown>): StoredEvent {
  const full: Record<string, unknown> = { ...item, talksId: item.talksId ?? item.pk, version: item.version ?? item.sk };
  for (const field of timeFields) if (typeof full[field] === 'number') full[field] = new Date(full[field] as number).toISOString();
  full.prevHash = hashText(full.prevHash);
  full.hash = hashText(full.hash);
  const event: Record<string, unknown> = {};
  for (const field of eventFieldOrder) if (full[field] !== undefined) event[field] = full[field];
  for (const [field, value] of Object.entries(full)) if (!(field in event) && !itemOnlyAttributes.has(field)) event[field] = value;
  return event as unknown as StoredEvent;
}

/**
 * An event id's idempotency record as stored since 2026-12-03: the talks id, version and
 * content hash (32 bytes) under one-letter names and no `kind` (its key, `event#<id>`, says
 * what it is: talks ids cannot contain "#"). There is one per event, kept forever, so its
 * 37 bytes less are 37 bytes less per event stored. Records of the older layouts (full names,
 * `kind: "idempotency"`, the hash in hex before 2026-12-01) are read as they are.
 */
export interface IdempotencyItem {
  pk: string;
  sk: 0;
  /** The talks the event is stored in. */
  t: string;
  /** Its version there. */
  v: number;
  /** SHA-256 of the submitted content. */
  h: Uint8Array;
  /** On an alias record: the spelling the event's id was first stored under (see event-id-aliases.ts). */
  aliasOf?: string;
}

/** An idempotency record of any layout, read: where the event is and what it held. */
export interface IdempotencyRecord {
  pk: string;
  talksId: string;
  version: number;
  /** As hex. */
  contentHash: string;
  aliasOf?: string;
}

export const toIdempotencyItem = (record: Omit<IdempotencyRecord, 'pk'> & { eventId: string }): IdempotencyItem => ({
  ...idempotencyKey(record.eventId),
  t: record.talksId,
  v: record.version,
  h: Buffer.from(record.contentHash, 'hex'),
  ...(record.aliasOf === undefined ? {} : { aliasOf: record.aliasOf }),
});

/** Either layout back to the record; undefined for an item that is none (no talks id). */
export function fromIdempotencyItem(item: Record<string, unknown> | undefined): IdempotencyRecord | undefined {
  if (item === undefined) return undefined;
  const talksId = item.t ?? item.talksId;
  const version = item.v ?? item.version;
  const hash = item.h ?? item.contentHash;
  if (typeof talksId !== 'string' || typeof version !== 'number') return undefined;
  return {
    pk: String(item.pk),
    talksId,
    version,
    contentHash: String(hashText(hash)),
    ...(typeof item.aliasOf === 'string' ? { aliasOf: item.aliasOf } : {}),
  };
}

/** Every idempotency record's key starts so, whatever its layout. */
export const idempotencyKeyPrefix = 'event#';
