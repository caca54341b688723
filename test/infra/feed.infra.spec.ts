import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventBusSource } from '../../functions/feed/event-bus-sink.js';
import { feedTable } from '../../functions/store/table-definitions.js';
import { feedAlarmThresholds, streamSettings } from '../../lib/talks-feed.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
let stack: TalksStatusStack;
let template: Template;

beforeAll(() => {
  const app = projectApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new TalksStatusStack(app, 'TalksStatus');
  template = Template.fromStack(stack);
}, 120_000);

const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const fnId = (id: string) => logicalId(stack.functions.get(id) ?? { node: {} });
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Every statement of a function's role policies, with its actions as a list. */
function statementsOf(id: string): { Action: string[]; Resource: unknown }[] {
  const role = JSON.stringify((template.findResources('AWS::Lambda::Function')[fnId(id)] as Resource).Properties.Role);
  const roleId = JSON.parse(role)['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement)
    .map((s) => ({ Action: list(s.Action) as string[], Resource: s.Resource }));
}

describe('the stream consumer', () => {
  it('reads the Events stream with a deliberate event source mapping', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId('FeedConsumer') },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.tables.events.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: streamSettings.batchSize,
      MaximumBatchingWindowInSeconds: streamSettings.maxBatchingWindowSeconds,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: streamSettings.retryAttempts,
      MaximumRecordAgeInSeconds: streamSettings.maxRecordAgeHours * 3600,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.feed.streamDeadLetters), 'Arn'] } } },
    });
  });

  it('may read the stream, publish to its bus and queue webhooks, and nothing more outside its tables', () => {
    const statements = statementsOf('FeedConsumer');
    const streamActions = statements.filter((s) => JSON.stringify(s.Resource).includes('StreamArn')).flatMap((s) => s.Action);
    expect(new Set(streamActions)).toEqual(new Set(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']));
    // ListStreams takes no resource-level permission: the event source grants it on `*`, alone.
    expect(
      statements
        .filter((s) => s.Resource === '*')
        .flatMap((s) => s.Action)
        .filter((a) => !a.startsWith('xray:')),
    ).toEqual(['dynamodb:ListStreams']);
    const busStatements = statements.filter((s) => s.Action.includes('events:PutEvents'));
    expect(busStatements.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [logicalId(stack.feed.bus), 'Arn'] }]);
    const queueStatements = statements.filter((s) => s.Action.some((a) => a.startsWith('sqs:')));
    expect(queueStatements.flatMap((s) => s.Action).sort()).toEqual(
      ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage', 'sqs:SendMessage'].sort(),
    );
    // No statement of any function updates or deletes in the Feed table: puts only.
    for (const id of ['FeedConsumer', 'WebhookDispatcher', 'CreateSubscription', 'DeleteSubscription', 'ListDeliveries'])
      expect(
        statementsOf(id).flatMap((s) => s.Action),
        id,
      ).not.toEqual(expect.arrayContaining([expect.stringMatching(/dynamodb:(UpdateItem|DeleteItem|BatchWriteItem)/)]));
  });

  it('sweeps on a schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('FeedConsumer'), 'Arn'] }, Input: '{"sweep":true}' })],
    });
  });
});

describe('the EventBridge bus', () => {
  it('is a custom bus with an archive of everything our source publishes', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [logicalId(stack.feed.bus), 'Arn'] },
      EventPattern: { source: [eventBusSource] },
      RetentionDays: 365,
    });
  });
});

describe('the webhook queues', () => {
  it('deliveries go through an encrypted FIFO queue, with a FIFO dead-letter queue', () => {
    const queues = template.findResources('AWS::SQS::Queue') as Record<string, Resource>;
    const deliveries = queues[logicalId(stack.feed.webhookQueue)]?.Properties;
    expect(deliveries).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 720,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack.feed.webhookDeadLetters), 'Arn'] } },
    });
    expect(queues[logicalId(stack.feed.webhookDeadLetters)]?.Properties).toMatchObject({
      FifoQueue: true,
      MessageRetentionPeriod: 1_209_600,
    });
    // Every queue refuses requests without TLS.
    for (const queue of [stack.feed.webhookQueue, stack.feed.webhookDeadLetters, stack.feed.streamDeadLetters])
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
  });

  it('the dispatcher reads them with partial batch responses and may only hide, dead-letter and read its own', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId('WebhookDispatcher') },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.feed.webhookQueue), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const sqs = statementsOf('WebhookDispatcher').filter((s) => s.Action.some((a) => a.startsWith('sqs:')));
    const byAction = new Map(sqs.flatMap((s) => s.Action.map((a) => [a, JSON.stringify(s.Resource)] as const)));
    expect(byAction.get('sqs:ChangeMessageVisibility')).toContain(logicalId(stack.feed.webhookQueue));
    expect(byAction.get('sqs:SendMessage')).toContain(logicalId(stack.feed.webhookDeadLetters));
    expect(byAction.get('sqs:ReceiveMessage')).toContain(logicalId(stack.feed.webhookQueue));
  });

  it('the Feed table expires delivery attempts by their TTL attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: feedTable.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: feedTable.sortKey.name, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: feedTable.timeToLiveAttribute, Enabled: true },
    });
  });
});

describe('the feed alarms', () => {
  const alarmOf = (id: string) => {
    const construct = stack.feed.alarms.find((a) => a.node.id === id);
    if (construct === undefined) throw new Error(`no alarm ${id}`);
    return (template.findResources('AWS::CloudWatch::Alarm')[logicalId(construct)] as Resource).Properties;
  };

  it("watch the iterator age, both dead-letter queues and the consumer's failures, and tell the alarm topic", () => {
    const topic = { Ref: logicalId(stack.alarms.topic) };
    expect(stack.feed.alarms.map((a) => a.node.id).sort()).toEqual(
      ['ConsumerErrors', 'StreamDeadLetterDepth', 'StreamIteratorAge', 'WebhookDeadLetterDepth'].sort(),
    );
    expect(alarmOf('StreamIteratorAge')).toMatchObject({
      MetricName: 'IteratorAge',
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: feedAlarmThresholds.iteratorAgeMs,
      AlarmActions: [topic],
      OKActions: [topic],
    });
    expect(alarmOf('StreamDeadLetterDepth')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.feed.streamDeadLetters), 'QueueName'] } }],
      Threshold: 1,
    });
    expect(alarmOf('WebhookDeadLetterDepth')).toMatchObject({
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.feed.webhookDeadLetters), 'QueueName'] } }],
    });
    expect(alarmOf('ConsumerErrors')).toMatchObject({ Namespace: 'TalksStatus', MetricName: 'FeedTalksFailed', Statistic: 'Sum' });
  });
});
