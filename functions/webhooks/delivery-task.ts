import type { FeedChange } from '../feed/feed-change.js';
import { webhookIdOf } from './signing.js';
import type { Subscription } from './subscription-store.js';

/** One change to send to one subscription; queued in order per (subscription, talks). */
export interface DeliveryTask {
  readonly webhookId: string;
  readonly subscriptionId: string;
  readonly talksId: string;
  readonly version: number;
  readonly type: string;
  /** When the change was first queued for this subscription: the retry bound runs from here. */
  readonly firstQueuedAt: string;
  /** The JSON body, signed as sent. */
  readonly body: string;
}

/** Deliveries of one subscription for one talks go out one at a time, in version order. */
export const deliveryGroupOf = (task: Pick<DeliveryTask, 'subscriptionId' | 'talksId'>): string => `${task.subscriptionId}:${task.talksId}`;

/**
 * The body a receiver gets: the change as every downstream path sees it (the stored event
 * exactly as stored, its talks, version and head hash, the status summary after it, and
 * whether it is a replay), with the event type on top for routing.
 */
export const webhookBody = (change: FeedChange): string =>
  JSON.stringify({
    type: change.event.type,
    talksId: change.talksId,
    version: change.version,
    headHash: change.headHash,
    replayed: change.replayed,
    event: change.event,
    summary: change.summary,
  });

/**
 * Whether a subscription wants a change: its talks and types filters, and only what was
 * recorded since it was created (a catch-up of old history is not news to a new subscriber).
 */
export const wants = (subscription: Subscription, change: FeedChange): boolean =>
  subscription.state !== 'deleted' &&
  change.event.recordedAt >= subscription.createdAt &&
  (subscription.talksIds === null || subscription.talksIds.includes(change.talksId)) &&
  (subscription.types === null || subscription.types.includes(change.event.type));

export function tasksFor(change: FeedChange, subscriptions: readonly Subscription[], now: Date): DeliveryTask[] {
  const matching = subscriptions.filter((s) => wants(s, change));
  if (matching.length === 0) return [];
  const body = webhookBody(change);
  return matching.map((s) => ({
    webhookId: webhookIdOf(s.subscriptionId, change.talksId, change.version),
    subscriptionId: s.subscriptionId,
    talksId: change.talksId,
    version: change.version,
    type: change.event.type,
    firstQueuedAt: now.toISOString(),
    body,
  }));
}
