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

/**
 * A page of history in version order. With a type filter, DynamoDB's Limit counts items
 * before the filter, so we keep querying until the page is full or the log ends: the
 * client's limit is the only cap, never a hidden one.
 */
export async function readHistory(
  ctx: StoreContext,
  talksId: string,
  options: { after: number; limit: number; types?: readonly EventType[] },
): Promise<HistoryPage> {
  const items: StoredEvent[] = [];
  const types = options.types === undefined || options.types.length === 0 ? undefined : options.types;
  let exclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
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
        // One more than asked tells whether another page exists without a second query.
        Limit: options.limit + 1 - items.length,
        ConsistentRead: true,
        ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
      }),
    );
    items.push(...(page.Items ?? []).map(fromEventItem));
    exclusiveStartKey = page.LastEvaluatedKey;
    if (exclusiveStartKey === undefined) break;
  }
  const pageItems = items.slice(0, options.limit);
  const last = pageItems.at(-1);
  return { items: pageItems, nextAfter: items.length > options.limit && last !== undefined ? last.version : null };
}
