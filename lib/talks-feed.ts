import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type Archive, EventBus, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { feedEnv } from '../functions/composition/feed-runtime.js';
import { eventBusSource } from '../functions/feed/event-bus-sink.js';
import { feedMetricNames } from '../functions/feed/feed-metrics.js';
import { metricDimensions, metricNamespace, serviceName } from '../functions/http/metric-names.js';
import type { TalksFunction } from './talks-function.js';
import type { TalksTableSet } from './talks-tables.js';

export interface TalksFeedProps {
  readonly consumer: TalksFunction;
  readonly dispatcher: TalksFunction;
  readonly tables: TalksTableSet;
  /** The alarm topic (lib/talks-alarms.ts): the feed's alarms notify it too. */
  readonly topic: ITopic;
}

/** How the stream is read, chosen rather than defaulted (see the construct's comment). */
export const streamSettings = {
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  retryAttempts: 10,
  maxRecordAgeHours: 24,
  parallelizationFactor: 1,
} as const;

/** The feed's alarm thresholds. */
export const feedAlarmThresholds = {
  /** The consumer is this far behind the newest record (ms): live updates are late. */
  iteratorAgeMs: 5 * 60 * 1000,
  deadLetters: 1,
  consumerErrors: 1,
  webhookDeadLetters: 1,
} as const;

const alarmPeriod = Duration.minutes(5);

/**
 * The change feed on AWS: the Events stream's event source mapping onto the consumer, the
 * custom EventBridge bus (with an archive) it publishes to, the webhooks' FIFO queue and its
 * dispatcher, the dead-letter queues, a sweep schedule, and their alarms.
 *
 * The stream is read from TRIM_HORIZON: a new deployment (or a consumer recreated) hands
 * over what the stream still holds rather than skipping it; what it no longer holds comes
 * from the log (gap detection, and the sweep). 100 records a batch with a 1 s window keep
 * invocations few under bursts at a second of added latency; one shard reader each
 * (parallelization 1) is plenty at this volume and keeps the reasoning simple (order holds
 * per talks at any factor). A failed batch is bisected and retried 10 times at most, and
 * reports the first record it could not hand over (partial batch response); a batch that
 * still fails goes to the stream DLQ as a pointer (shard, sequence numbers), and the sweep
 * later catches its talks up from the log, so nothing is skipped for good.
 */
export class TalksFeed extends Construct {
  public readonly bus: EventBus;
  public readonly archive: Archive;
  public readonly streamDeadLetters: Queue;
  public readonly webhookQueue: Queue;
  public readonly webhookDeadLetters: Queue;
  public readonly alarms: Alarm[] = [];

  public constructor(scope: Construct, id: string, props: TalksFeedProps) {
    super(scope, id);
    const { consumer, dispatcher, tables, topic } = props;

    this.bus = new EventBus(this, 'Bus', { description: 'Every stored talks event with the status summary after it' });
    // Replays from the archive carry `replay-name`; our own catch-ups set detail.replayed.
    this.archive = this.bus.archive('Archive', {
      description: 'Every talks event published to the bus, for replays',
      eventPattern: { source: [eventBusSource] },
      retention: Duration.days(365),
    });
    consumer.addEnvironment(feedEnv.eventBusName, this.bus.eventBusName);
    consumer.addToRolePolicy(new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.bus.eventBusArn] }));

    const queueDefaults = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY };
    this.streamDeadLetters = new Queue(this, 'StreamDeadLetters', { ...queueDefaults, retentionPeriod: Duration.days(14) });
    this.webhookDeadLetters = new Queue(this, 'WebhookDeadLetters', {
      ...queueDefaults,
      fifo: true,
      contentBasedDeduplication: false,
      retentionPeriod: Duration.days(14),
    });
    this.webhookQueue = new Queue(this, 'WebhookDeliveries', {
      ...queueDefaults,
      fifo: true,
      contentBasedDeduplication: false,
      // Six times the dispatcher's timeout, as Lambda advises for an SQS event source.
      visibilityTimeout: Duration.seconds(6 * 120),
      retentionPeriod: Duration.days(4),
      // The dispatcher dead-letters by time itself; this catches a message it cannot even read.
      deadLetterQueue: { queue: this.webhookDeadLetters, maxReceiveCount: 1000 },
    });
    for (const queue of [this.streamDeadLetters, this.webhookDeadLetters])
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself a dead-letter queue; its depth is alarmed on (lib/talks-feed.ts).',
      });

    consumer.addEnvironment(feedEnv.webhookQueueUrl, this.webhookQueue.queueUrl);
    consumer.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.webhookQueue.queueArn] }));
    consumer.addEventSource(
      new DynamoEventSource(tables.events.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: streamSettings.batchSize,
        maxBatchingWindow: Duration.seconds(streamSettings.maxBatchingWindowSeconds),
        bisectBatchOnError: true,
        retryAttempts: streamSettings.retryAttempts,
        maxRecordAge: Duration.hours(streamSettings.maxRecordAgeHours),
        parallelizationFactor: streamSettings.parallelizationFactor,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamDeadLetters),
      }),
    );
    // The sweep: whatever a talks missed (a batch given up on, an outage past the stream's 24 h).
    new Rule(this, 'Sweep', {
      description: 'Catches up every talks whose feed checkpoint is behind its status',
      schedule: Schedule.rate(Duration.minutes(15)),
      targets: [new LambdaFunction(consumer, { event: RuleTargetInput.fromObject({ sweep: true }), retryAttempts: 2 })],
    });

    dispatcher.addEnvironment(feedEnv.webhookQueueUrl, this.webhookQueue.queueUrl);
    dispatcher.addEnvironment(feedEnv.webhookDeadLetterQueueUrl, this.webhookDeadLetters.queueUrl);
    dispatcher.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.webhookDeadLetters.queueArn] }));
    dispatcher.addToRolePolicy(new PolicyStatement({ actions: ['sqs:ChangeMessageVisibility'], resources: [this.webhookQueue.queueArn] }));
    dispatcher.addEventSource(new SqsEventSource(this.webhookQueue, { batchSize: 10, reportBatchItemFailures: true }));

    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string) => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(new SnsAction(topic));
      created.addOkAction(new SnsAction(topic));
      this.alarms.push(created);
    };
    alarm(
      'StreamIteratorAge',
      consumer.metric('IteratorAge', { period: alarmPeriod, statistic: 'Maximum' }),
      feedAlarmThresholds.iteratorAgeMs,
      'The Events stream consumer is more than 5 minutes behind: webhooks, the bus and live updates are late',
    );
    alarm(
      'ConsumerErrors',
      appMetric(feedMetricNames.feedFailures),
      feedAlarmThresholds.consumerErrors,
      'The feed consumer could not hand a talks over (a sink failed, or a broken link in the log)',
    );
    alarm(
      'StreamDeadLetterDepth',
      this.streamDeadLetters.metricApproximateNumberOfMessagesVisible({ period: alarmPeriod, statistic: 'Maximum' }),
      feedAlarmThresholds.deadLetters,
      'A stream batch was given up on after its retries (the sweep catches its talks up; find out why)',
    );
    alarm(
      'WebhookDeadLetterDepth',
      this.webhookDeadLetters.metricApproximateNumberOfMessagesVisible({ period: alarmPeriod, statistic: 'Maximum' }),
      feedAlarmThresholds.webhookDeadLetters,
      'A webhook delivery was dead-lettered after its bounded retries',
    );
  }
}

const appMetric = (name: string) =>
  new Metric({
    namespace: metricNamespace,
    metricName: name,
    dimensionsMap: { [metricDimensions.service]: serviceName },
    statistic: 'Sum',
    period: alarmPeriod,
  });
