import { deflateRawSync, gunzipSync, inflateRawSync } from 'node:zlib';
import type { TalksStatus } from '../domain/talks-status.js';
import {
  freezeDeep,
  fromColumnar,
  fromColumnarChecked,
  isPlainJson,
  type Json,
  NotColumnarError,
  toColumnarTracked,
} from './columnar-json.js';
import { type StatusItem, snapshotKey, toStatusItem } from './item-keys.js';
import { statusDictionaries } from './status-dictionary-pack.js';

/**
 * The status travels compressed in one binary attribute, `statusD`: a codec byte, then the
 * status's JSON deflated with a preset dictionary of its own vocabulary. Every KB costs two
 * write units in the append transaction (and again for the snapshot), so the bytes matter:
 * the scenario's status is 1.2 KB this way (1.7 KB gzipped, 4.3 KB as a plain map).
 *
 * The codec is generic over the record: whatever JSON the status holds (fields added later,
 * a Merkle frontier, a checkpoint) is carried as is and read back exactly.
 *
 * Codec 2 (since 2026-12-02) first rewrites the status by columns (columnar-json.ts): a
 * long status lists the same kinds of entries over and over, and by columns deflate folds
 * them; the head hash rides as its 32 bytes ahead of the deflated text. The cycled scenario's
 * status at 1,000 events is 1.30 KB this way against 1.75 KB with codec 1, which with the
 * Merkle frontier kept the status item over 2 KB (6 write units in the append instead of 4).
 * Each write decodes what it encoded and keeps codec 1 for a status codec 2 would not give
 * back byte for byte (a string that reads as a column marker, say): never a wrong read.
 *
 * Items of codec 1 and those written before 2026-12-01 with `statusZ` (gzipped JSON) are
 * read as they are and replaced by the next write.
 */
const codecDeflateDictionary1 = 1;
const codecColumnsDictionary2 = 2;
// The dictionaries ride packed (status-dictionary-pack.ts); status-dictionary.ts is their readable source.
const dictionary1 = () => statusDictionaries()[0];
const dictionary2 = () => statusDictionaries()[1];
const hex64 = /^[0-9a-f]{64}$/;

const withCodecByte = (codec: number, ...parts: Uint8Array[]) => Buffer.concat([Uint8Array.of(codec), ...parts]);

function encodeCodec1(status: unknown): Uint8Array {
  return withCodecByte(
    codecDeflateDictionary1,
    deflateRawSync(Buffer.from(JSON.stringify(status), 'utf8'), { level: 9, dictionary: dictionary1() }),
  );
}

/**
 * Codec 2: the codec byte, a flags byte (1: the head hash follows as 32 bytes and the text
 * holds 0 in its place, so the key keeps its position), then the columns' JSON deflated.
 */
function encodeCodec2(status: unknown): { bytes: Uint8Array; columns: Json; proven: () => void } | undefined {
  const record = status as Record<string, unknown> | null;
  const hash =
    record !== null && typeof record === 'object' && typeof record.headHash === 'string' && hex64.test(record.headHash)
      ? record.headHash
      : undefined;
  let tracked: ReturnType<typeof toColumnarTracked>;
  try {
    tracked = toColumnarTracked(hash === undefined ? status : { ...record, headHash: 0 });
  } catch (error) {
    if (error instanceof NotColumnarError) return undefined;
    throw error;
  }
  const body = deflateRawSync(Buffer.from(JSON.stringify(tracked.columns), 'utf8'), { level: 9, dictionary: dictionary2() });
  const bytes =
    hash === undefined
      ? withCodecByte(codecColumnsDictionary2, Uint8Array.of(0), body)
      : withCodecByte(codecColumnsDictionary2, Uint8Array.of(1), Buffer.from(hash, 'hex'), body);
  return { bytes, columns: tracked.columns, proven: tracked.proven };
}

function decodeCodec2(bytes: Uint8Array): unknown {
  const flags = bytes[1];
  if (flags !== 0 && flags !== 1) throw new Error(`status codec 2 flags ${flags} are not known to this code`);
  const columnsJson = inflateRawSync(bytes.subarray(flags === 1 ? 34 : 2), { dictionary: dictionary2() }).toString('utf8');
  return withStoredHash(bytes, fromColumnar(JSON.parse(columnsJson)));
}

/**
 * The status read from codec 2's bytes: the head hash, when they hold it, from them. The
 * value is the columns' fresh top-level object (never a frozen part), so it is set in place.
 */
function withStoredHash(bytes: Uint8Array, value: Json): Json {
  if (bytes[1] === 1) (value as Record<string, Json>).headHash = Buffer.from(bytes.subarray(2, 34)).toString('hex');
  return value;
}

/** What a status is stored as, the codec byte first: codec 2 whenever it reads back exactly. */
export function encodeStatus(status: unknown): Uint8Array {
  return encodeChecked(status).bytes;
}

/** Frozen statuses already encoded (a snapshot is the status item's status): bytes and whether they read back exactly. */
const encoded = new WeakMap<object, { bytes: Uint8Array; exact: boolean }>();

function encodeChecked(status: unknown): { bytes: Uint8Array; exact: boolean } {
  const known = status !== null && typeof status === 'object' ? encoded.get(status) : undefined;
  if (known !== undefined) return known;
  const columns = encodeCodec2(status);
  // The check reads the columns back as a read would (the head hash from the stored bytes;
  // their JSON text, deflated losslessly, parses back to these very values, so it is not
  // parsed again, and parts proven by an earlier check are not read again: columnar-json.ts).
  // A status that would not read back exactly is stored with codec 1.
  const exact =
    columns !== undefined && JSON.stringify(withStoredHash(columns.bytes, fromColumnarChecked(columns.columns))) === JSON.stringify(status);
  if (exact) columns.proven();
  const result = exact ? { bytes: columns.bytes, exact } : { bytes: encodeCodec1(status), exact };
  if (status !== null && typeof status === 'object' && Object.isFrozen(status)) encoded.set(status, result);
  return result;
}

/** Reads every layout: `statusD` (a codec byte, then the body) or the older `statusZ` (gzip). */
export function decodeStatus(record: Record<string, unknown>): TalksStatus {
  const { statusD, statusZ } = record;
  if (statusD instanceof Uint8Array) {
    if (statusD[0] === codecColumnsDictionary2) return decodeCodec2(statusD) as TalksStatus;
    if (statusD[0] !== codecDeflateDictionary1) throw new Error(`status codec ${statusD[0]} is not known to this code`);
    return JSON.parse(inflateRawSync(statusD.subarray(1), { dictionary: dictionary1() }).toString('utf8')) as TalksStatus;
  }
  if (statusZ instanceof Uint8Array) return JSON.parse(gunzipSync(statusZ).toString('utf8')) as TalksStatus;
  throw new Error('status item without a statusD or statusZ attribute');
}

export type StatusRecord = Omit<StatusItem, 'status'> & { statusD: Uint8Array };

/**
 * The statuses this process wrote last, by talks, with their bytes: an append reads the
 * status item it (most often) wrote a moment ago, and stored bytes identical to the bytes
 * of a status that read back exactly decode to that status, so it is taken as it is. Frozen,
 * so that it is the bytes' status still; the fold copies what an event changes and shares
 * the rest, which the next encode then does not rewrite again (columnar-json.ts).
 */
const written = new Map<string, { bytes: Uint8Array; status: TalksStatus }>();
const writtenKept = 64;

/** The item as DynamoDB stores it. The status is frozen: it is what the bytes say from now on. */
export function toStatusRecord(status: TalksStatus, writeId: string): StatusRecord {
  const { status: _plain, ...rest } = toStatusItem(freezeDeep(status), writeId);
  const { bytes, exact } = encodeChecked(status);
  written.delete(status.talksId);
  // Plain (nothing undefined, say): then it is what a decode would give, field for field.
  if (exact && isPlainJson(status)) {
    written.set(status.talksId, { bytes, status });
    if (written.size > writtenKept) written.delete(written.keys().next().value as string);
  }
  return { ...rest, statusD: bytes };
}

/**
 * The item as the code uses it, from a GetItem or a cancelled transaction's ALL_OLD. With
 * `reuseWritten`, a status this process wrote with the very same bytes is given back as it
 * is, frozen, instead of decoded again (the append path, which never changes a status).
 */
export function fromStatusRecord(record: Record<string, unknown>, reuseWritten = false): StatusItem {
  // `summary` is the older layout's copy for the list index: the status says the same.
  const { statusD: _d, statusZ: _z, summary: _s, ...rest } = record;
  const last = reuseWritten && typeof record.pk === 'string' ? written.get(record.pk) : undefined;
  const status =
    last !== undefined && record.statusD instanceof Uint8Array && Buffer.compare(record.statusD, last.bytes) === 0
      ? last.status
      : decodeStatus(record);
  return { ...(rest as Omit<StatusItem, 'status'>), status };
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
