import { LambdaClient } from '@aws-sdk/client-lambda';
import { eventBridgeClient, feedContextFrom, sqsClient } from '../composition/feed-runtime.js';
import { awsFeedSinks } from '../composition/feed-sinks.js';
import { runtimeFromEnv } from '../composition/runtime.js';
import { FeedConsumer } from '../feed/feed-consumer.js';
import { emfMetric } from '../feed/feed-metrics.js';
import { feedConsumerHandler } from '../feed/stream-handler.js';

/** Lambda entry of the Events stream's consumer (and of its scheduled sweep). */
const runtime = runtimeFromEnv();
const feed = feedContextFrom(runtime);
const consumer = new FeedConsumer({
  store: runtime.store,
  feed,
  sinks: awsFeedSinks(process.env, feed, {
    eventBridge: eventBridgeClient(),
    sqs: sqsClient(),
    lambda: () => new LambdaClient({ maxAttempts: 3 }),
  }),
  log: runtime.log,
});
export const handler = feedConsumerHandler(consumer, runtime.log, emfMetric(runtime.log));
