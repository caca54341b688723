import { BatchGetCommand, type BatchGetCommandOutput, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../domain/submitted-event.js';
import { eventKey, fromEventItem } from './item-keys.js';
import type { StoreContext } from './store-context.js';

export interface LogPageOptions {
  /** Versions strictly after this one. */
  after?: number;
  /** Versions up to and including this one. */
  through?: number;
  pageSize?: number;
}

/**
 * Streams a talks' log in version order, one query page at a time, so replays and audits
 * hold one page in memory whatever the history length.
 */
export async function* readLogPages(ctx: StoreContext, talksId: string, options: LogPageOptions = {}): AsyncGenerator<StoredEvent[]> {
  for await (const page of readLogItemPages(ctx, talksId, options)) yield page.map(fromEventItem);
}

/** The same pages as stored, tree attributes included (the audit checks the checkpoints they hold). */
export async function* readLogItemPages(
  ctx: StoreContext,
  talksId: string,
  options: LogPageOptions = {},
): AsyncGenerator<Record<string, unknown>[]> {
  const after = options.after ?? 0;
  const through = options.through ?? Number.MAX_SAFE_INTEGER;
  if (through <= after) return;
  let exclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tables.events,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': talksId, ':from': after + 1, ':to': through },
        ConsistentRead: true,
        ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
        ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
      }),
    );
    const items = page.Items ?? [];
    if (items.length > 0) yield items;
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
}

/** One query: at most `limit` events after a version, in order. */
export async function readLogPage(ctx: StoreContext, talksId: string, after: number, limit: number): Promise<StoredEvent[]> {
  const page = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.tables.events,
      KeyConditionExpression: 'pk = :pk AND sk > :after',
      ExpressionAttributeValues: { ':pk': talksId, ':after': after },
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map(fromEventItem);
}

export async function readLog(ctx: StoreContext, talksId: string, options: LogPageOptions = {}): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const page of readLogPages(ctx, talksId, options)) events.push(...page);
  return events;
}

/** Reads given versions of one talks, in version order. */
export async function readEvents(ctx: StoreContext, talksId: string, versions: readonly number[]): Promise<StoredEvent[]> {
  const items = await batchGetAll(
    ctx,
    ctx.tables.events,
    versions.map((v) => eventKey(talksId, v)),
  );
  return items.map(fromEventItem).sort((a, b) => a.version - b.version);
}

/**
 * BatchGetItem over any number of keys (100 a call), asking again for the keys DynamoDB
 * leaves unprocessed under load, as its documentation says to, a bounded number of times.
 */
export async function batchGetAll(
  ctx: StoreContext,
  table: string,
  allKeys: readonly Record<string, unknown>[],
  projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < allKeys.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = allKeys.slice(i, i + 100);
    for (let round = 0; keys !== undefined && keys.length > 0; round += 1) {
      if (round === 8) throw new Error('DynamoDB left keys unprocessed after 8 rounds');
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));
      const result: BatchGetCommandOutput = await ctx.doc.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true, ...projection } } }),
      );
      found.push(...(result.Responses?.[table] ?? []));
      keys = result.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return found;
}
