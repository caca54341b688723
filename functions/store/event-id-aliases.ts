import { GetCommand, PutCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { canonicalJson, sha256Hex } from '../domain/hash-chain.js';
import {
  eventKey,
  fromEventItem,
  fromIdempotencyItem,
  type IdempotencyRecord,
  idempotencyKey,
  idempotencyKeyPrefix,
  toIdempotencyItem,
} from './item-keys.js';
import { batchGetAll } from './read-log.js';
import type { StoreContext } from './store-context.js';

/**
 * Event ids became case-insensitive (a UUID in upper case names the same id) after some
 * events were stored under the spelling the client sent: their idempotency record is
 * `event#<UPPER>`, while a resend is now looked up, and guarded, as `event#<lower>`. Without
 * help a resend of such an event would be stored a second time.
 *
 * The cure costs nothing on the append path: one pass writes, for every record whose id is
 * not in lower case, an alias record under the lower-case key (put if absent, like every
 * idempotency record), pointing at the same version with the content hash a resend now
 * computes (the id lower-cased). Guarding the original-case key inside every append
 * transaction instead would cost a ConditionCheck (two write units) per event forever, and
 * would still miss ids stored in mixed case.
 */

/** The fields the server adds when it stores an event: a resend carries none of them. */
const storedFacts = ['talksId', 'version', 'recordedAt', 'recordedBy', 'schemaVersion', 'prevHash', 'hash'] as const;

/** The content hash a resend of this stored event computes, its id spelt as given. */
export function resendContentHash(stored: Record<string, unknown>, eventId: string): string {
  const submitted: Record<string, unknown> = { ...stored, eventId };
  for (const fact of storedFacts) delete submitted[fact];
  return sha256Hex(canonicalJson(submitted));
}

export interface AliasReport {
  /** Idempotency records found whose id is not in lower case. */
  found: number;
  /** Alias records written by this pass. */
  written: number;
  /** Already aliased (an earlier pass): nothing to do. */
  present: number;
  /**
   * The lower-case key already names another event: a resend in lower case was stored
   * again before any pass ran. Both events stay (the log is immutable); listed for the operator.
   */
  duplicates: { eventId: string; talksId: string; version: number; otherTalksId: string; otherVersion: number }[];
  /**
   * The stored event does not hash back to its record's content hash (its schema has moved
   * on since): the alias still stops a second copy, but a resend gets 409 event-id-reused.
   */
  unverified: number;
}

/** Writes the lower-case alias of every idempotency record stored under another spelling. */
export async function writeEventIdAliases(ctx: StoreContext): Promise<AliasReport> {
  const report: AliasReport = { found: 0, written: 0, present: 0, duplicates: [], unverified: 0 };
  let start: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await ctx.doc.send(
      new ScanCommand({
        TableName: ctx.tables.events,
        // By key: records of every layout (the older ones also carry kind "idempotency").
        FilterExpression: 'begins_with(#pk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':prefix': idempotencyKeyPrefix },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    const legacy = (page.Items ?? [])
      .flatMap((item) => fromIdempotencyItem(item) ?? [])
      .filter((r) => r.pk !== r.pk.toLowerCase() && r.aliasOf === undefined);
    report.found += legacy.length;
    const events = await batchGetAll(
      ctx,
      ctx.tables.events,
      legacy.map((r) => eventKey(r.talksId, r.version)),
    );
    const byKey = new Map(events.map((e) => [`${String(e.pk)}#${String(e.sk)}`, fromEventItem(e) as unknown as Record<string, unknown>]));
    for (const record of legacy) await writeAlias(ctx, record, byKey.get(`${record.talksId}#${record.version}`), report);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return report;
}

async function writeAlias(
  ctx: StoreContext,
  record: IdempotencyRecord,
  event: Record<string, unknown> | undefined,
  report: AliasReport,
): Promise<void> {
  const original = record.pk.slice('event#'.length);
  const lower = original.toLowerCase();
  // The hash a resend computes now (the schema lower-cases the id); the record's own hash
  // was computed over the original spelling, which tells whether the stored event is exact.
  const verified = event !== undefined && resendContentHash(event, original) === record.contentHash;
  if (!verified) report.unverified += 1;
  const alias = toIdempotencyItem({
    eventId: lower,
    talksId: record.talksId,
    version: record.version,
    contentHash: event === undefined ? record.contentHash : resendContentHash(event, lower),
    aliasOf: original,
  });
  try {
    await ctx.doc.send(new PutCommand({ TableName: ctx.tables.events, Item: alias, ConditionExpression: 'attribute_not_exists(pk)' }));
    report.written += 1;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    const other = fromIdempotencyItem(
      (await ctx.doc.send(new GetCommand({ TableName: ctx.tables.events, Key: idempotencyKey(lower), ConsistentRead: true }))).Item,
    );
    if (other !== undefined && other.talksId === record.talksId && other.version === record.version) report.present += 1;
    else
      report.duplicates.push({
        eventId: original,
        talksId: record.talksId,
        version: record.version,
        otherTalksId: other?.talksId ?? '',
        otherVersion: other?.version ?? 0,
      });
  }
}

const passDoneKey = { pk: 'migration#event-id-aliases', sk: 0 };

/**
 * The pass once per store, for a server starting on an existing data dir: a marker in the
 * state table records that it ran (every append since lower-cases ids, so once is enough).
 */
export async function ensureEventIdAliases(ctx: StoreContext): Promise<AliasReport | undefined> {
  const done = await ctx.doc.send(new GetCommand({ TableName: ctx.tables.state, Key: passDoneKey, ConsistentRead: true }));
  if (done.Item !== undefined) return undefined;
  const report = await writeEventIdAliases(ctx);
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.tables.state,
      Item: {
        ...passDoneKey,
        kind: 'migration',
        at: ctx.now().toISOString(),
        written: report.written,
        duplicates: report.duplicates.length,
      },
    }),
  );
  return report;
}
