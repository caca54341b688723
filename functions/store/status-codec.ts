import { deflateRawSync, gunzipSync, inflateRawSync } from 'node:zlib';
import type { TalksStatus } from '../domain/talks-status.js';
import { type StatusItem, snapshotKey, toStatusItem } from './item-keys.js';
import { statusDictionary1 } from './status-dictionary.js';

/**
 * The status travels compressed in one binary attribute, `statusD`: a codec byte, then the
 * status's JSON deflated with a preset dictionary of its own vocabulary. Every KB costs two
 * write units in the append transaction (and again for the snapshot), so the bytes matter:
 * the scenario's status is 1.2 KB this way (1.7 KB gzipped, 4.3 KB as a plain map).
 *
 * The codec is generic over the record: whatever JSON the status holds (fields added later,
 * a Merkle frontier, a checkpoint) is carried as is and read back exactly.
 *
 * Items written before 2026-12-01 carry `statusZ` (gzipped JSON) instead; they are read as
 * they are and replaced by the next write.
 */
const codecDeflateDictionary1 = 1;
const dictionary1 = Buffer.from(statusDictionary1, 'utf8');

/** What a status is stored as, the codec byte first. */
export function encodeStatus(status: unknown): Uint8Array {
  const body = deflateRawSync(Buffer.from(JSON.stringify(status), 'utf8'), { level: 9, dictionary: dictionary1 });
  const bytes = new Uint8Array(body.byteLength + 1);
  bytes[0] = codecDeflateDictionary1;
  bytes.set(body, 1);
  return bytes;
}

/** Reads either layout: `statusD` (a codec byte, then the body) or the older `statusZ` (gzip). */
export function decodeStatus(record: Record<string, unknown>): TalksStatus {
  const { statusD, statusZ } = record;
  if (statusD instanceof Uint8Array) {
    if (statusD[0] !== codecDeflateDictionary1) throw new Error(`status codec ${statusD[0]} is not known to this code`);
    return JSON.parse(inflateRawSync(statusD.subarray(1), { dictionary: dictionary1 }).toString('utf8')) as TalksStatus;
  }
  if (statusZ instanceof Uint8Array) return JSON.parse(gunzipSync(statusZ).toString('utf8')) as TalksStatus;
  throw new Error('status item without a statusD or statusZ attribute');
}

export type StatusRecord = Omit<StatusItem, 'status'> & { statusD: Uint8Array };

/** The item as DynamoDB stores it. */
export function toStatusRecord(status: TalksStatus, writeId: string): StatusRecord {
  const { status: _plain, ...rest } = toStatusItem(status, writeId);
  return { ...rest, statusD: encodeStatus(status) };
}

/** The item as the code uses it, from a GetItem or a cancelled transaction's ALL_OLD. */
export function fromStatusRecord(record: Record<string, unknown>): StatusItem {
  // `summary` is the older layout's copy for the list index: the status says the same.
  const { statusD: _d, statusZ: _z, summary: _s, ...rest } = record;
  return { ...(rest as Omit<StatusItem, 'status'>), status: decodeStatus(record) };
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
  statusD: encodeStatus(status),
});

export const fromSnapshotRecord = (record: Record<string, unknown>): TalksStatus => decodeStatus(record);
