import type { FeedContext } from '../feed/feed-context.js';
import type { TargetPolicy } from './target-guard.js';

/** What the subscription controllers are given beside the runtime. */
export interface SubscriptionSettings {
  readonly feed: FeedContext;
  readonly targetPolicy: TargetPolicy;
  readonly newId: () => string;
}
