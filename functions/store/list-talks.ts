import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { talksIdSchema } from '../domain/common-schemas.js';
import { ValidationError } from '../domain/domain-errors.js';
import { listPartition, type TalksSummary } from './item-keys.js';
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

/** Most recently active first, from the list index (only summaries are projected there). */
export async function listTalks(ctx: StoreContext, options: { limit: number; cursor?: string }): Promise<TalksList> {
  const page = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.tables.state,
      IndexName: index.indexName,
      KeyConditionExpression: 'listPk = :list',
      ExpressionAttributeValues: { ':list': listPartition },
      ScanIndexForward: false,
      Limit: options.limit,
      ...(options.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(options.cursor) }),
    }),
  );
  return {
    items: (page.Items ?? []).map((item) => item.summary as TalksSummary),
    nextCursor: page.LastEvaluatedKey === undefined ? null : encodeCursor(page.LastEvaluatedKey),
  };
}
