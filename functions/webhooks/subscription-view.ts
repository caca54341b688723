import type { Subscription } from './subscription-store.js';

/** What the API shows of a subscription: never its secret, nor its bookkeeping. */
export const publicView = (s: Subscription) => ({
  subscriptionId: s.subscriptionId,
  url: s.url,
  talksIds: s.talksIds,
  types: s.types,
  state: s.state,
  createdAt: s.createdAt,
  ...(s.pausedAt === undefined ? {} : { pausedAt: s.pausedAt }),
});
