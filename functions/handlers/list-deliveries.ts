import { randomUUID } from 'node:crypto';
import { feedContextFrom } from '../composition/feed-runtime.js';
import { runtimeFromEnv } from '../composition/runtime.js';
import { listDeliveriesController } from '../controllers/subscriptions-controller.js';

/** Lambda entry: on AWS a webhook target is never loopback (no --allow-private-webhooks here). */
const runtime = runtimeFromEnv();
export const handler = listDeliveriesController({
  ...runtime,
  feed: feedContextFrom(runtime),
  targetPolicy: { allowLoopback: false },
  newId: randomUUID,
});
