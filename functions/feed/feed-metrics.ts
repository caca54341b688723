import type { Log } from '../http/http-settings.js';
import { metricDimensions, metricNamespace, serviceName } from '../http/metric-names.js';

/** The feed's and the webhooks' metric names (namespace TalksStatus, dimension service). */
export const feedMetricNames = {
  changesDelivered: 'FeedChangesDelivered',
  changesReplayed: 'FeedChangesReplayed',
  feedFailures: 'FeedTalksFailed',
  webhookDelivered: 'WebhookDelivered',
  webhookFailed: 'WebhookFailed',
  webhookDeadLettered: 'WebhookDeadLettered',
  webhookAttemptLatency: 'WebhookAttemptLatency',
} as const;

/** One embedded-metric-format line per metric: CloudWatch takes it from the log, no API call. */
export const emfMetric =
  (log: Log, at: () => Date = () => new Date()) =>
  (name: string, value: number, unit: 'Count' | 'Milliseconds'): void =>
    log({
      _aws: {
        Timestamp: at().getTime(),
        CloudWatchMetrics: [
          { Namespace: metricNamespace, Dimensions: [[metricDimensions.service]], Metrics: [{ Name: name, Unit: unit }] },
        ],
      },
      [metricDimensions.service]: serviceName,
      [name]: value,
    });
