import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { eventBusSink } from '../feed/event-bus-sink.js';
import type { FeedSink } from '../feed/feed-change.js';
import type { FeedContext } from '../feed/feed-context.js';
import { liveFanoutFunctionEnvVar, liveFanoutSink } from '../live/live-fanout-sink.js';
import { sqsDeliveryQueue } from '../webhooks/sqs-delivery-queue.js';
import { webhookSink } from '../webhooks/webhook-sink.js';
import { feedEnv } from './feed-runtime.js';
import { requiredEnv } from './runtime.js';

/**
 * THE place where the consumer's downstream paths are registered on AWS (the local server's
 * are in bin/local/local-feed-sinks.ts): the EventBridge bus, the webhooks' FIFO queue and,
 * when the stack set its name, the live updates' fan-out function.
 */
export function awsFeedSinks(
  env: NodeJS.ProcessEnv,
  feed: FeedContext,
  clients: { eventBridge: Pick<EventBridgeClient, 'send'>; sqs: Pick<SQSClient, 'send'>; lambda: () => LambdaClient },
): FeedSink[] {
  const liveFanout = env[liveFanoutFunctionEnvVar];
  return [
    eventBusSink(clients.eventBridge, requiredEnv(env, feedEnv.eventBusName)),
    webhookSink(feed, sqsDeliveryQueue(clients.sqs, requiredEnv(env, feedEnv.webhookQueueUrl))),
    ...(liveFanout === undefined || liveFanout === '' ? [] : [liveFanoutSink(clients.lambda(), liveFanout)]),
  ];
}
