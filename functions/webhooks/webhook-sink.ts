import type { FeedChange, FeedSink } from '../feed/feed-change.js';
import type { FeedContext } from '../feed/feed-context.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { tasksFor } from './delivery-task.js';
import { liveSubscriptions, type Subscription } from './subscription-store.js';

/**
 * The webhook path of the feed: for each change, one delivery per subscription that wants
 * it, queued in order. A subscription must get every change recorded after its 201, so the
 * list (one strongly consistent query of one small partition) is reused only for changes
 * recorded before it was read: any subscription created before such a change is in it.
 */
export function webhookSink(feed: FeedContext, queue: DeliveryQueue): FeedSink {
  let cached: { readAt: string; subscriptions: Subscription[] } | undefined;
  return {
    name: 'webhooks',
    async deliver(change: FeedChange) {
      if (cached === undefined || cached.readAt <= change.event.recordedAt) {
        const readAt = feed.now().toISOString();
        cached = { readAt, subscriptions: await liveSubscriptions(feed) };
      }
      const tasks = tasksFor(change, cached.subscriptions, feed.now());
      if (tasks.length > 0) await queue.enqueue(tasks);
    },
  };
}
