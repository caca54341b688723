import { feedContextFrom, feedEnv, sqsClient } from '../composition/feed-runtime.js';
import { requiredEnv, runtimeFromEnv } from '../composition/runtime.js';
import { emfMetric } from '../feed/feed-metrics.js';
import { sendWebhook } from '../webhooks/send-webhook.js';
import { sqsDispatchHandler } from '../webhooks/sqs-dispatch-handler.js';
import { webhookSettingsFromEnv } from '../webhooks/webhook-settings.js';

/** Lambda entry of the webhook dispatcher (the FIFO queue's consumer). Loopback is never allowed here. */
const runtime = runtimeFromEnv();
const settings = webhookSettingsFromEnv(process.env);
export const handler = sqsDispatchHandler(
  {
    feed: feedContextFrom(runtime),
    settings,
    send: sendWebhook({ allowLoopback: false }, settings.timeoutMs),
    log: runtime.log,
    metric: emfMetric(runtime.log),
  },
  sqsClient(),
  requiredEnv(process.env, feedEnv.webhookQueueUrl),
  requiredEnv(process.env, feedEnv.webhookDeadLetterQueueUrl),
);
