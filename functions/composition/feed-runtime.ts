import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Runtime } from '../controllers/runtime.js';
import type { FeedContext } from '../feed/feed-context.js';
import { feedTable } from '../store/table-definitions.js';
import { requiredEnv } from './runtime.js';

/** The environment variables the stack (lib/talks-feed.ts) gives the feed's functions. */
export const feedEnv = {
  eventBusName: 'EVENT_BUS_NAME',
  webhookQueueUrl: 'WEBHOOK_QUEUE_URL',
  webhookDeadLetterQueueUrl: 'WEBHOOK_DEAD_LETTER_QUEUE_URL',
} as const;

export const feedContextFrom = (runtime: Runtime, env: NodeJS.ProcessEnv = process.env): FeedContext => ({
  doc: runtime.store.doc,
  table: requiredEnv(env, feedTable.envVar),
  now: runtime.now,
});

/** Clients at module scope of the Lambda entries that need them, created once per container. */
export const eventBridgeClient = () => new EventBridgeClient({ maxAttempts: 3 });
export const sqsClient = () => new SQSClient({ maxAttempts: 3 });
