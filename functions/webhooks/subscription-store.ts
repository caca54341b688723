import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedContext } from '../feed/feed-context.js';
import type { DeliveryAttempt, SubscriptionRequest, subscriptionStates } from './subscription-schemas.js';

export interface Subscription {
  subscriptionId: string;
  url: string;
  talksIds: string[] | null;
  types: string[] | null;
  state: (typeof subscriptionStates)[number];
  createdAt: string;
  createdBy: string;
  secret: string;
  consecutiveFailures: number;
  lastAttemptAt?: string;
  pausedAt?: string;
  deletedAt?: string;
  /** Every write is conditional on the revision it read: concurrent outcomes never overwrite each other. */
  revision: number;
}

/**
 * Subscriptions live in one partition (they are few, and the consumer reads them all per
 * batch in one query); their delivery attempts in one partition each, newest last, expiring
 * after `attemptsKeptDays`. Everything is put, never updated or deleted (the stack's roles
 * hold no UpdateItem or DeleteItem): a deleted subscription is a tombstone.
 */
const subscriptionsTopic = 'subscriptions';
const attemptsKeptDays = 7;
const deliveriesTopic = (subscriptionId: string) => `deliveries#${subscriptionId}`;

export async function createSubscription(
  ctx: FeedContext,
  fields: SubscriptionRequest & { subscriptionId: string; createdBy: string; secret: string },
): Promise<Subscription> {
  const subscription: Subscription = {
    subscriptionId: fields.subscriptionId,
    url: fields.url,
    talksIds: fields.talksIds ?? null,
    types: fields.types ?? null,
    state: 'active',
    createdAt: ctx.now().toISOString(),
    createdBy: fields.createdBy,
    secret: fields.secret,
    consecutiveFailures: 0,
    revision: 1,
  };
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.table,
      Item: { topic: subscriptionsTopic, entry: subscription.subscriptionId, kind: 'subscription', ...subscription },
      ConditionExpression: 'attribute_not_exists(topic)',
    }),
  );
  return subscription;
}

const fromItem = (item: Record<string, unknown>): Subscription => {
  const { topic: _t, entry: _e, kind: _k, ...rest } = item;
  return rest as unknown as Subscription;
};

export async function readSubscription(ctx: FeedContext, subscriptionId: string): Promise<Subscription | undefined> {
  const result = await ctx.doc.send(
    new GetCommand({ TableName: ctx.table, Key: { topic: subscriptionsTopic, entry: subscriptionId }, ConsistentRead: true }),
  );
  return result.Item === undefined ? undefined : fromItem(result.Item);
}

/** Every subscription that is not deleted (paused ones too: their deliveries wait in order). */
export async function liveSubscriptions(ctx: FeedContext): Promise<Subscription[]> {
  const found: Subscription[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.table,
        KeyConditionExpression: 'topic = :t',
        ExpressionAttributeValues: { ':t': subscriptionsTopic },
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) if (item.state !== 'deleted') found.push(fromItem(item));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return found;
}

/**
 * Replaces a subscription with `change(current)`, conditional on the revision read; on a
 * race it reads again and reapplies, a bounded number of times.
 */
export async function reviseSubscription(
  ctx: FeedContext,
  subscriptionId: string,
  change: (current: Subscription) => Subscription | undefined,
): Promise<Subscription | undefined> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await readSubscription(ctx, subscriptionId);
    if (current === undefined) return undefined;
    const next = change(current);
    if (next === undefined) return current;
    try {
      await ctx.doc.send(
        new PutCommand({
          TableName: ctx.table,
          Item: { topic: subscriptionsTopic, entry: subscriptionId, kind: 'subscription', ...next, revision: current.revision + 1 },
          ConditionExpression: 'revision = :r',
          ExpressionAttributeValues: { ':r': current.revision },
        }),
      );
      return { ...next, revision: current.revision + 1 };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  throw new Error(`subscription ${subscriptionId} kept changing under its writer`);
}

export async function recordAttempt(ctx: FeedContext, subscriptionId: string, attempt: DeliveryAttempt): Promise<void> {
  const expiresAt = Math.floor(ctx.now().getTime() / 1000) + attemptsKeptDays * 86_400;
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.table,
      Item: {
        topic: deliveriesTopic(subscriptionId),
        entry: `${attempt.attemptedAt}#${attempt.webhookId}#${String(attempt.attempt).padStart(4, '0')}#${attempt.outcome}`,
        kind: 'delivery',
        expiresAt,
        ...attempt,
      },
    }),
  );
}

/** The most recent attempts first. */
export async function recentAttempts(ctx: FeedContext, subscriptionId: string, limit: number): Promise<DeliveryAttempt[]> {
  const page = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.table,
      KeyConditionExpression: 'topic = :t',
      ExpressionAttributeValues: { ':t': deliveriesTopic(subscriptionId) },
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).map((item) => {
    const { topic: _t, entry: _e, kind: _k, expiresAt: _x, ...attempt } = item;
    return attempt as DeliveryAttempt;
  });
}
