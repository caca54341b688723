import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionSpecs } from '../../lib/function-specs.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

/** The alarms, their topic and the dashboard, as synthesized (bundling skipped: only the template is read). */
type Properties = Record<string, unknown>;
let stack: TalksStatusStack;
let template: Template;

const synth = (context: Record<string, unknown> = {}) => {
  const app = projectApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const built = new TalksStatusStack(app, 'TalksStatus');
  return { stack: built, template: Template.fromStack(built) };
};

beforeAll(() => {
  ({ stack, template } = synth());
}, 120_000);

const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const topicRef = () => ({ Ref: logicalId(stack.alarms.topic) });

/** The alarm the construct created under `id`, as CloudFormation sees it. */
function alarm(id: string): Properties {
  const construct = stack.alarms.alarms.find((a) => a.node.id === id);
  if (construct === undefined) throw new Error(`no alarm ${id}`);
  const found = template.findResources('AWS::CloudWatch::Alarm')[stack.getLogicalId(construct.node.defaultChild as CfnElement)] as
    | { Properties: Properties }
    | undefined;
  if (found === undefined) throw new Error(`alarm ${id} not in the template`);
  return found.Properties;
}

/** What every alarm shares: one five-minute period, at or over the threshold, silence is fine, and the topic told both ways. */
const common = (threshold: number) => ({
  Threshold: threshold,
  EvaluationPeriods: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching',
  AlarmActions: [topicRef()],
  OKActions: [topicRef()],
});

const functionIds = functionSpecs.map((spec) => spec.id);
const tableIds = ['Events', 'State'];

describe('the alarms', () => {
  it('are exactly these: API 5xx, errors and throttles per function, throttles and system errors per table, append 5xx', () => {
    const expected = [
      'Api5xx',
      ...functionIds.flatMap((id) => [`${id}Errors`, `${id}Throttles`]),
      ...tableIds.flatMap((id) => [`${id}ReadThrottles`, `${id}WriteThrottles`, `${id}SystemErrors`]),
      'Append5xx',
      'CheckpointWitness',
    ];
    expect(stack.alarms.alarms.map((a) => a.node.id).sort()).toEqual(expected.sort());
    // The feed's own alarms (iterator age, dead letters, consumer failures; feed.infra.spec.ts) and the live
    // updates' (lib/talks-live.ts; live.infra.spec.ts) come on top.
    template.resourceCountIs('AWS::CloudWatch::Alarm', expected.length + stack.feed.alarms.length + stack.live.alarms.length);
  });

  it('watch the API 5xx count, five in five minutes', () => {
    expect(alarm('Api5xx')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Statistic: 'Sum',
      Period: 300,
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(stack.api.httpApi) } }],
      ...common(5),
    });
  });

  it.each(functionIds)('watch the errors and throttles of %s, from the first one', (id) => {
    const fn = stack.functions.get(id);
    expect(fn).toBeDefined();
    const dimensions = [{ Name: 'FunctionName', Value: { Ref: logicalId(fn!) } }];
    expect(alarm(`${id}Errors`)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      Dimensions: dimensions,
      ...common(1),
    });
    expect(alarm(`${id}Throttles`)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Statistic: 'Sum',
      Dimensions: dimensions,
      ...common(1),
    });
  });

  it.each(tableIds)('watch the read and write throttles and the system errors of the %s table', (id) => {
    const table = id === 'Events' ? stack.tables.events.table : stack.tables.state.table;
    const dimensions = [{ Name: 'TableName', Value: { Ref: logicalId(table) } }];
    for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      const name = metric === 'ReadThrottleEvents' ? 'ReadThrottles' : 'WriteThrottles';
      expect(alarm(`${id}${name}`)).toMatchObject({
        Namespace: 'AWS/DynamoDB',
        MetricName: metric,
        Statistic: 'Sum',
        Dimensions: dimensions,
        ...common(1),
      });
    }
    // A sum over the operations the functions call, each series of SystemErrors per operation.
    const systemErrors = alarm(`${id}SystemErrors`) as { Metrics: { Expression?: string; MetricStat?: { Metric: Properties } }[] };
    expect(systemErrors).toMatchObject(common(1));
    const series = systemErrors.Metrics.flatMap((m) => (m.MetricStat === undefined ? [] : [m.MetricStat.Metric]));
    expect(series.map((m) => m.MetricName)).toEqual(Array(series.length).fill('SystemErrors'));
    const operations = series.map((m) => (m.Dimensions as { Name: string; Value: unknown }[]).find((d) => d.Name === 'Operation')?.Value);
    expect(operations.sort()).toEqual(['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'TransactWriteItems']);
    for (const m of series) expect(m.Dimensions).toContainEqual(dimensions[0]);
    expect(systemErrors.Metrics.filter((m) => m.Expression !== undefined)).toHaveLength(1);
  });

  it('watch the append route 5xx the handlers publish in EMF', () => {
    expect(alarm('Append5xx')).toMatchObject({
      Namespace: 'TalksStatus',
      MetricName: 'ServerErrors',
      Statistic: 'Sum',
      Period: 300,
      Dimensions: expect.arrayContaining([
        { Name: 'service', Value: 'talks-status' },
        { Name: 'route', Value: 'AppendEvents' },
      ]),
      ...common(1),
    });
    expect((alarm('Append5xx').Dimensions as unknown[]).length).toBe(2);
  });
});

describe('the alarm topic', () => {
  it('is encrypted with a rotated key CloudWatch may use, and refuses publishers without TLS', () => {
    const keyId = logicalId(stack.alarms.topic.masterKey as unknown as { node: { defaultChild?: unknown } });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            }),
          ]),
        },
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef()],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(Object.keys(template.findOutputs('AlarmTopicArn'))).toEqual(['AlarmTopicArn']);
  });

  it('has no subscription unless -c alarmEmail names one, then an email subscription', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const subscribed = synth({ alarmEmail: 'ops@example.org' });
    subscribed.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
      TopicArn: { Ref: subscribed.stack.getLogicalId(subscribed.stack.alarms.topic.node.defaultChild as CfnElement) },
    });
  });

  it('refuses an alarmEmail that is not an address', () => {
    expect(() => synth({ alarmEmail: 'ops-at-example' })).toThrow(/alarmEmail/);
  });
});

describe('the dashboard', () => {
  it('shows the API, the functions, the tables, the app metrics and the alarms', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    for (const title of [
      'API requests',
      'API latency',
      'API 4xx and 5xx',
      'Function errors and throttles',
      'Function duration p99',
      'Table consumed capacity',
      'Table throttles and system errors',
      'Appends',
      'Refusals and conflicts by problem type',
      'Alarms',
    ]) {
      expect(body).toContain(`\\"title\\":\\"${title}\\"`);
    }
    for (const metric of [
      'ConsumedReadCapacityUnits',
      'ConsumedWriteCapacityUnits',
      'EventsAppended',
      'Replays',
      'AppendRetries',
      'IntegrationLatency',
    ]) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('MetricName=\\\\\\"Refusals\\\\\\"');
  });
});
