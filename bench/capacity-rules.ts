import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { idempotencyKeyPrefix } from '../functions/store/item-keys.js';

/**
 * DynamoDB's published sizing and capacity rules ("Item sizes and formats", "Read/write
 * capacity mode"), so capacity can be computed from what we write rather than trusting
 * DynamoDB Local's ConsumedCapacity, which is not fully reliable.
 */

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** Numbers: about 1 byte per two significant digits (leading/trailing zeros trimmed) + 1. */
function numberSize(text: string): number {
  const mantissa = (text.replace(/^[-+]/, '').split(/e/i)[0] ?? '').replace('.', '');
  const digits = mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(Math.max(digits, 1) / 2) + 1;
}

/** Size of one value, without its attribute name. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  // List and map: 3 bytes whatever the content, plus 1 byte per element.
  if (value.L !== undefined) return 3 + value.L.reduce((total, element) => total + 1 + valueSize(element), 0);
  if (value.M !== undefined)
    return 3 + Object.entries(value.M).reduce((total, [name, element]) => total + 1 + utf8(name) + valueSize(element), 0);
  if (value.SS !== undefined) return value.SS.reduce((total, s) => total + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((total, n) => total + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((total, b) => total + b.byteLength, 0);
  throw new Error(`unknown attribute value ${JSON.stringify(value)}`);
}

/** Item size: the sum of attribute name lengths and value sizes. */
export const itemSize = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((total, [name, value]) => total + utf8(name) + valueSize(value), 0);

/** The same for a plain item as the document client sends it (undefined values removed). */
export const nativeItemSize = (item: Record<string, unknown>): number => itemSize(marshall(item, { removeUndefinedValues: true }));

/** Per-attribute sizes, largest first: where an item's bytes go. */
export const attributeSizes = (item: Record<string, unknown>): { name: string; bytes: number }[] =>
  Object.entries(marshall(item, { removeUndefinedValues: true }))
    .map(([name, value]) => ({ name, bytes: utf8(name) + valueSize(value) }))
    .sort((a, b) => b.bytes - a.bytes);

export const KB = 1024;
/** One write unit per 1 KB (rounded up) of the larger of the old and new item. */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / KB));
/** Transactional writes cost two units per 1 KB. */
export const transactionalWriteUnits = (bytes: number): number => 2 * writeUnits(bytes);
/** Strongly consistent read: one unit per 4 KB (rounded up); eventually consistent: half. */
export const readUnits = (bytes: number, consistent = true): number => Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);

/** A status put also writes the list index (keys + projected summary if any, 100 bytes overhead). */
export function indexEntrySize(statusItem: Record<string, unknown>): number {
  const { pk, sk, listPk, activityKey, summary } = statusItem;
  return nativeItemSize({ pk, sk, listPk, activityKey, summary }) + 100;
}

/**
 * The list-index writes of a status put that replaces `previous` (undefined: a new item).
 * An entry whose key changes moves: a delete and a put. One whose key stays but whose
 * projected attribute (`summary`, older items only) changes is rewritten in place: one write.
 * One where neither changes is not written at all.
 */
export function listIndexWriteUnits(item: Record<string, unknown>, previous: Record<string, unknown> | undefined): number {
  if (previous === undefined) return writeUnits(indexEntrySize(item));
  if (previous.listPk !== item.listPk || previous.activityKey !== item.activityKey)
    return writeUnits(indexEntrySize(previous)) + writeUnits(indexEntrySize(item));
  if (JSON.stringify(previous.summary) !== JSON.stringify(item.summary))
    return writeUnits(Math.max(indexEntrySize(previous), indexEntrySize(item)));
  return 0;
}

/**
 * A snapshot also writes the byRecordedAt local index, which projects every attribute:
 * its entry is the whole item plus the 100 bytes of index overhead.
 */
export function snapshotIndexEntrySize(snapshotItem: Record<string, unknown>): number {
  return nativeItemSize(snapshotItem) + 100;
}

export interface TransactionWriteCost {
  /** Write units of the items in the transaction (each doubled), the budget's terms. */
  table: number;
  /**
   * Units of the state table's indexes: the list-index entry a status put adds, rewrites or
   * moves (0, 1 or 2 writes) and the snapshot-index entry each snapshot adds.
   */
  index: number;
  /** Per-role breakdown of `table`. */
  events: number;
  idempotency: number;
  status: number;
  snapshot: number;
  statusBytes: number;
}

/** An idempotency record of either layout: its key says so (`event#<id>`), the older ones also carry kind. */
const isIdempotencyRecord = (item: Record<string, unknown>) =>
  item.kind === 'idempotency' || (typeof item.pk === 'string' && item.pk.startsWith(idempotencyKeyPrefix));

type Put = { Put?: { TableName?: string; Item?: Record<string, unknown> } };

/**
 * The write units of one append transaction, from its items: events and idempotency
 * records are new items; the status put replaces the previous status item, so it costs by
 * the larger of the two; its list-index entry moves when its key changes (listIndexWriteUnits);
 * each snapshot adds an entry to the snapshot index. `previousStatus` is the status item the
 * put replaces, as stored (undefined for a talks' first append).
 */
export function appendTransactionCost(items: readonly Put[], previousStatus: Record<string, unknown> | undefined): TransactionWriteCost {
  const previousStatusBytes = previousStatus === undefined ? undefined : nativeItemSize(previousStatus);
  const cost: TransactionWriteCost = { table: 0, index: 0, events: 0, idempotency: 0, status: 0, snapshot: 0, statusBytes: 0 };
  for (const entry of items) {
    const item = entry.Put?.Item;
    if (item === undefined) continue;
    const bytes = nativeItemSize(item);
    if (item.kind === 'event') cost.events += transactionalWriteUnits(bytes);
    else if (isIdempotencyRecord(item)) cost.idempotency += transactionalWriteUnits(bytes);
    else if (item.kind === 'snapshot') {
      cost.snapshot += transactionalWriteUnits(bytes);
      cost.index += writeUnits(snapshotIndexEntrySize(item));
    } else if (item.kind === 'status') {
      cost.statusBytes = bytes;
      cost.status += transactionalWriteUnits(Math.max(bytes, previousStatusBytes ?? 0));
      cost.index += listIndexWriteUnits(item, previousStatus);
    }
  }
  cost.table = cost.events + cost.idempotency + cost.status + cost.snapshot;
  return cost;
}

/** The budget for one submission of n events up to 1 KB: 4 per event + twice the status KB. */
export const budgetWriteUnits = (events: number, statusBytes: number): number => 4 * events + 2 * Math.ceil(statusBytes / KB);
