import { BatchWriteCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ErrorMessage, withSubscriptions } from './live-protocol.js';

/**
 * The WebSocket API's connections and subscriptions in DynamoDB (the LiveConnections table,
 * lib/talks-live.ts). Two kinds of item, both expiring by TTL a little after API Gateway's
 * 2-hour connection limit, so a $disconnect that never ran leaves nothing for long:
 * - `c#<connectionId>` / `connection`: who connected and the talks it follows;
 * - `t#<talksId>` / `<connectionId>`: one per subscriber of a talks, what the fan-out queries.
 * Nothing here is a record of the talks: losing an item loses a notification, never an event.
 */
export const connectionTtlSeconds = 2 * 60 * 60 + 10 * 60;

const connectionKey = (connectionId: string) => ({ pk: `c#${connectionId}`, sk: 'connection' });
const subscriptionKey = (talksId: string, connectionId: string) => ({ pk: `t#${talksId}`, sk: connectionId });

interface ConnectionItem {
  pk: string;
  sk: string;
  talksIds: string[];
  subject?: string;
  expiresAt: number;
}

export class LiveConnections {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private expiresAt(): number {
    return Math.floor(this.now().getTime() / 1000) + connectionTtlSeconds;
  }

  async connect(connectionId: string, subject: string | undefined): Promise<void> {
    const item: ConnectionItem = {
      ...connectionKey(connectionId),
      talksIds: [],
      expiresAt: this.expiresAt(),
      ...(subject ? { subject } : {}),
    };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  private async connection(connectionId: string): Promise<ConnectionItem | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: connectionKey(connectionId), ConsistentRead: true }));
    return Item as ConnectionItem | undefined;
  }

  /** The subscriptions after adding these; a refusal past the bound (nothing written then). */
  async subscribe(connectionId: string, talksIds: readonly string[]): Promise<{ talksIds: string[] } | { error: ErrorMessage }> {
    const item = await this.connection(connectionId);
    if (item === undefined) return { talksIds: [] };
    const result = withSubscriptions(new Set(item.talksIds), talksIds);
    if ('error' in result) return result;
    const expiresAt = this.expiresAt();
    await this.batch(talksIds.map((talksId) => ({ PutRequest: { Item: { ...subscriptionKey(talksId, connectionId), expiresAt } } })));
    const next = [...result.next].sort();
    await this.putConnection({ ...item, talksIds: next, expiresAt });
    return { talksIds: next };
  }

  async unsubscribe(connectionId: string, talksIds: readonly string[]): Promise<{ talksIds: string[] }> {
    const item = await this.connection(connectionId);
    if (item === undefined) return { talksIds: [] };
    await this.batch(talksIds.map((talksId) => ({ DeleteRequest: { Key: subscriptionKey(talksId, connectionId) } })));
    const gone = new Set(talksIds);
    const next = item.talksIds.filter((t) => !gone.has(t));
    await this.putConnection({ ...item, talksIds: next });
    return { talksIds: next };
  }

  /** Forgets the connection and its subscriptions: on $disconnect, and when the fan-out finds it gone (410). */
  async disconnect(connectionId: string): Promise<void> {
    const item = await this.connection(connectionId);
    await this.batch((item?.talksIds ?? []).map((talksId) => ({ DeleteRequest: { Key: subscriptionKey(talksId, connectionId) } })));
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: connectionKey(connectionId) }));
  }

  /** The connections following a talks (expired items DynamoDB has not yet removed are left out). */
  async followers(talksId: string): Promise<string[]> {
    const now = Math.floor(this.now().getTime() / 1000);
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': `t#${talksId}`, ':now': now },
          ProjectionExpression: 'sk',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.sk));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return ids;
  }

  private async putConnection(item: ConnectionItem): Promise<void> {
    // Only while connected: a $disconnect that ran meanwhile must not be undone.
    await this.doc
      .send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_exists(pk)' }))
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }

  /** BatchWriteItem in chunks of 25, retrying what DynamoDB leaves unprocessed. */
  private async batch(requests: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: Record<string, unknown>[] | undefined = requests.slice(i, i + 25);
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 5) throw new Error(`DynamoDB left ${pending.length} live subscription writes unprocessed`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** attempt)));
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }));
        pending = result.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
      }
    }
  }
}
