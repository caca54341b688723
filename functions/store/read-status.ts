import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type StatusItem, statusKey } from './item-keys.js';
import { fromStatusRecord } from './status-codec.js';
import type { StoreContext } from './store-context.js';

/**
 * One GetItem, strongly consistent: a reporter reads what was just appended. `reuseWritten`:
 * see fromStatusRecord (for the append path, which never changes a status).
 */
export async function readStatusItem(ctx: StoreContext, talksId: string, reuseWritten = false): Promise<StatusItem | undefined> {
  const result = await ctx.doc.send(new GetCommand({ TableName: ctx.tables.state, Key: statusKey(talksId), ConsistentRead: true }));
  return result.Item === undefined ? undefined : fromStatusRecord(result.Item, reuseWritten);
}
