import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EventType } from '../domain/event-catalog.js';
import type { StoredEvent } from '../domain/submitted-event.js';
import { fromEventItem } from './item-keys.js';
import type { StoreContext } from './store-context.js';

export interface HistoryPage {
  items: StoredEvent[];
  /** Pass as `after` for the next page; null when the history is exhausted. */
  nextAfter: number | null;
}

/** Events a filtered query reads per call: DynamoDB's Limit counts them before the filter. */
export const historyScanPage = 1_000;
/** Events one request examines at most; past it the page ends early with a cursor. */
export const historyScanCap = 5_000;

/**
 * A page of history in version order. Without a type filter, one query of `limit + 1`
 * (the extra one tells whether a next page exists). With one, DynamoDB counts the items it
 * examines before the filter, so queries read fixed pages of events, and a request stops
 * after examining `historyScanCap` of them: the page then holds what matched so far (maybe
 * fewer than `limit`, maybe none) and `nextAfter` continues after the last event examined.
 * A rare type in a long log costs a few large queries, never a thousand small ones.
 */
export async function readHistory(
  ctx: StoreContext,
  talksId: string,
  options: { after: number; limit: number; types?: readonly EventType[] },
): Promise<HistoryPage> {
  const items: StoredEvent[] = [];
  const types = options.types === undefined || options.types.length === 0 ? undefined : options.types;
  let exclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
  let examined = 0;
  while (items.length <= options.limit) {
    const page = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tables.events,
        KeyConditionExpression: 'pk = :pk AND sk > :after',
        ExpressionAttributeValues: {
          ':pk': talksId,
          ':after': options.after,
          ...(types === undefined ? {} : Object.fromEntries(types.map((t, i) => [`:t${i}`, t]))),
        },
        ...(types === undefined
          ? {}
          : { FilterExpression: `#type IN (${types.map((_, i) => `:t${i}`).join(', ')})`, ExpressionAttributeNames: { '#type': 'type' } }),
        Limit: types === undefined ? options.limit + 1 - items.length : Math.min(historyScanPage, historyScanCap - examined),
        ConsistentRead: true,
        ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
      }),
    );
    items.push(...(page.Items ?? []).map(fromEventItem));
    examined += page.ScannedCount ?? page.Items?.length ?? 0;
    exclusiveStartKey = page.LastEvaluatedKey;
    if (exclusiveStartKey === undefined) break;
    if (types !== undefined && examined >= historyScanCap && items.length <= options.limit) {
      return { items, nextAfter: Number(exclusiveStartKey.sk) };
    }
  }
  const pageItems = items.slice(0, options.limit);
  const last = pageItems.at(-1);
  return { items: pageItems, nextAfter: items.length > options.limit && last !== undefined ? last.version : null };
}
