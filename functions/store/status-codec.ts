import { gunzipSync, gzipSync } from 'node:zlib';
import type { TalksStatus } from '../domain/talks-status.js';
import { type StatusItem, snapshotKey, toStatusItem } from './item-keys.js';

/**
 * The status travels gzipped in one binary attribute. Every KB costs capacity on every
 * write (twice, inside a transaction) and on every read: compressed, the scenario's status
 * is about 2 KB instead of 4.3 KB and a full one (10,000 events) under 3 KB instead of 24 KB,
 * so a status read stays one read unit. The summary stays plain for the list index.
 */
const encode = (status: TalksStatus): Uint8Array => gzipSync(Buffer.from(JSON.stringify(status), 'utf8'));
const decode = (bytes: unknown): TalksStatus => {
  if (!(bytes instanceof Uint8Array)) throw new Error('status item without a statusZ attribute');
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as TalksStatus;
};

export type StatusRecord = Omit<StatusItem, 'status'> & { statusZ: Uint8Array };

/** The item as DynamoDB stores it. */
export function toStatusRecord(status: TalksStatus, writeId: string): StatusRecord {
  const { status: _plain, ...rest } = toStatusItem(status, writeId);
  return { ...rest, statusZ: encode(status) };
}

/** The item as the code uses it, from a GetItem or a cancelled transaction's ALL_OLD. */
export function fromStatusRecord(record: Record<string, unknown>): StatusItem {
  const { statusZ, ...rest } = record;
  return { ...(rest as Omit<StatusItem, 'status'>), status: decode(statusZ) };
}

/**
 * The byRecordedAt index key of a snapshot: its transaction time, then its version, so that
 * snapshots recorded in the same millisecond (one submission crossing two multiples of a
 * short interval, or a clock that did not move) still sort by version, never arbitrarily.
 */
export const snapshotTimeKey = (recordedAt: string, version: number) => `${recordedAt}|${String(version).padStart(15, '0')}`;
/** Above every key recorded at `at` (any version) and below every later time's. */
export const snapshotTimeCeiling = (at: string) => `${at}|~`;

/** A snapshot of the projection right after `version`, found by version or by time. */
export const toSnapshotRecord = (status: TalksStatus) => ({
  ...snapshotKey(status.talksId, status.version),
  kind: 'snapshot',
  version: status.version,
  snapshotAt: snapshotTimeKey(status.updatedAt, status.version),
  statusZ: encode(status),
});

export const fromSnapshotRecord = (record: Record<string, unknown>): TalksStatus => decode(record.statusZ);
