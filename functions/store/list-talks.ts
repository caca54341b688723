import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { talksIdSchema } from '../domain/common-schemas.js';
import { ValidationError } from '../domain/domain-errors.js';
import { activityHourOf, listPartition, statusKey, summarize, type TalksSummary } from './item-keys.js';
import { batchGetAll } from './read-log.js';
import { fromStatusRecord } from './status-codec.js';
import type { StoreContext } from './store-context.js';
import { stateTable } from './table-definitions.js';

export interface TalksList {
  items: TalksSummary[];
  nextCursor: string | null;
}

const index = stateTable.globalSecondaryIndexes[0];

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** The cursor is DynamoDB's LastEvaluatedKey, opaque to clients (base64url JSON). */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  const invalid = () => new ValidationError([{ field: 'cursor', message: 'not a cursor this API returned' }]);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const expected = ['activityKey', 'listPk', 'pk', 'sk'];
  if (typeof key !== 'object' || key === null || Object.keys(key).sort().join() !== expected.join()) throw invalid();
  const k = key as Record<string, unknown>;
  // A forged key reaches DynamoDB as ExclusiveStartKey: an empty or over-long key value is a
  // ValidationException there (a 500), so the cursor must look exactly like one we issued.
  if (k.listPk !== listPartition || typeof k.pk !== 'string' || !talksIdSchema.safeParse(k.pk).success || k.sk !== 0) throw invalid();
  if (
    typeof k.activityKey !== 'string' ||
    k.activityKey !== `${k.activityKey.split('#')[0] ?? ''}#${k.pk}` ||
    !isoInstant.test(k.activityKey.split('#')[0] ?? '')
  )
    throw invalid();
  return k;
}

/** Where a page resumes: the last talks the previous page showed, by its exact activity. */
interface Position {
  updatedAt: string;
  talksId: string;
}

const newerFirst = (a: Position, b: Position) =>
  a.updatedAt === b.updatedAt ? (a.talksId < b.talksId ? 1 : a.talksId > b.talksId ? -1 : 0) : a.updatedAt < b.updatedAt ? 1 : -1;

/**
 * Most recently active first. The list index holds keys only, by the hour of the last
 * activity (see activityKeyOf), so an append moves it at most once an hour; each hour's
 * talks are read from their status items (one BatchGetItem per 100) and ordered by their
 * exact time. A page therefore reads every talks of the hours it touches: list reads cost
 * more read units so that appends cost fewer write units, and lists are cached (5 s).
 * The cursor stays the key form this route always issued (`<updatedAt>#<talksId>`).
 */
export async function listTalks(ctx: StoreContext, options: { limit: number; cursor?: string }): Promise<TalksList> {
  const after = options.cursor === undefined ? undefined : positionOf(decodeCursor(options.cursor));
  const items: TalksSummary[] = [];
  let hour: string | undefined;
  let talksOfHour: string[] = [];
  const flush = async () => {
    const found = await batchGetAll(
      ctx,
      ctx.tables.state,
      talksOfHour.map((talksId) => statusKey(talksId)),
    );
    const summaries = found
      .map((record) => summarize(fromStatusRecord(record).status))
      .filter((s) => after === undefined || newerFirst(after, s) < 0)
      .sort(newerFirst);
    items.push(...summaries);
    talksOfHour = [];
  };
  let exclusiveStartKey: Record<string, unknown> | undefined;
  scan: do {
    const page = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tables.state,
        IndexName: index.indexName,
        KeyConditionExpression: after === undefined ? 'listPk = :list' : 'listPk = :list AND activityKey < :through',
        ExpressionAttributeValues: {
          ':list': listPartition,
          ...(after === undefined ? {} : { ':through': `${activityHourOf(after.updatedAt)}~` }),
        },
        ScanIndexForward: false,
        Limit: 100,
        ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
      }),
    );
    for (const entry of page.Items ?? []) {
      const entryHour = activityHourOf(String(entry.activityKey));
      if (entryHour !== hour) {
        if (talksOfHour.length > 0) await flush();
        if (items.length > options.limit) break scan;
        hour = entryHour;
      }
      talksOfHour.push(String(entry.pk));
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  if (talksOfHour.length > 0) await flush();
  const shown = items.slice(0, options.limit);
  const last = shown.at(-1);
  return {
    items: shown,
    nextCursor:
      items.length > options.limit && last !== undefined
        ? encodeCursor({ listPk: listPartition, activityKey: `${last.updatedAt}#${last.talksId}`, pk: last.talksId, sk: 0 })
        : null,
  };
}

const positionOf = (key: Record<string, unknown>): Position => {
  const activityKey = String(key.activityKey);
  return { updatedAt: activityKey.slice(0, activityKey.indexOf('#')), talksId: String(key.pk) };
};
