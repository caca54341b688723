import { randomUUID } from 'node:crypto';
import { feedContextFrom } from '../composition/feed-runtime.js';
import { runtimeFromEnv } from '../composition/runtime.js';
import { deleteSubscriptionController } from '../controllers/subscriptions-controller.js';

/** Lambda entry: on AWS a webhook target is never loopback (no --allow-private-webhooks here). */
const runtime = runtimeFromEnv();
export const handler = deleteSubscriptionController({
  ...runtime,
  feed: feedContextFrom(runtime),
  targetPolicy: { allowLoopback: false },
  newId: randomUUID,
});
