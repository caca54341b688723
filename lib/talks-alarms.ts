import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { metricDimensions, metricNames, metricNamespace, serviceName } from '../functions/http/metric-names.js';
import { appendEventsRoute } from '../functions/http/routes.js';
import type { TalksTable, TalksTableSet } from './talks-tables.js';

export interface TalksAlarmsProps {
  readonly api: HttpApi;
  /** Every function of the stack, by id. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly tables: TalksTableSet;
  /** Subscribed to the alarm topic when given (`-c alarmEmail=ops@example.org`). */
  readonly alarmEmail?: string;
}

/** Every alarm counts events in five-minute sums; no data means nothing happened. */
export const alarmPeriod = Duration.minutes(5);

/**
 * Thresholds: a function error or throttle, a DynamoDB throttle or system error, and an
 * append answered 5xx are each worth a look on their own; API 5xx alarm at 5 in five minutes
 * so a single 503 a client retries does not page anyone, while a broken route does.
 */
export const alarmThresholds = {
  api5xx: 5,
  functionErrors: 1,
  functionThrottles: 1,
  tableThrottles: 1,
  tableSystemErrors: 1,
  append5xx: 1,
};

/** The operations our functions call: the ones whose DynamoDB system errors we would see. */
const tableOperations = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.SCAN,
  Operation.PUT_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

/**
 * DynamoDB reports SystemErrors per operation: one sum over the operations we call. Its ids
 * are prefixed by the table, since one graph may show both tables' sums; SUM() takes the
 * periods where only some operations have data.
 */
function systemErrors({ table, definition }: TalksTable) {
  const usingMetrics = Object.fromEntries(
    tableOperations.map((operation) => [
      `${definition.id.toLowerCase()}_${operation.toLowerCase()}`,
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName: 'SystemErrors',
        dimensionsMap: { TableName: table.tableName, Operation: operation },
        statistic: 'Sum',
        period: alarmPeriod,
      }),
    ]),
  );
  return new MathExpression({
    expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
    usingMetrics,
    label: `${definition.id} system errors`,
    period: alarmPeriod,
  });
}

/** An app metric the handlers publish in EMF (functions/http/request-telemetry.ts). */
const appMetric = (metricName: string, route?: string, label?: string) =>
  new Metric({
    namespace: metricNamespace,
    metricName,
    dimensionsMap: { [metricDimensions.service]: serviceName, ...(route === undefined ? {} : { [metricDimensions.route]: route }) },
    statistic: 'Sum',
    period: alarmPeriod,
    ...(label === undefined ? {} : { label }),
  });

/** Every series of one app metric per problem type, whatever route sent it (dashboards only: alarms take no SEARCH). */
const byProblem = (metricName: string) =>
  new MathExpression({
    expression: `SEARCH('{${metricNamespace},${metricDimensions.problem},${metricDimensions.route},${metricDimensions.service}} MetricName="${metricName}"', 'Sum', ${alarmPeriod.toSeconds()})`,
    usingMetrics: {},
    label: metricName,
    period: alarmPeriod,
  });

/**
 * The alarms and the dashboard of the deployment, and the SNS topic the alarms notify
 * (on alarm and on recovery). The topic is encrypted with a key of its own, because the
 * AWS-managed SNS key does not let CloudWatch publish, and refuses publishers without TLS.
 */
export class TalksAlarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];
  public readonly dashboard: Dashboard;

  public constructor(scope: Construct, id: string, props: TalksAlarmsProps) {
    super(scope, id);
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the talks-status alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic: it needs the data key.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'talks-status alarms', masterKey: key, enforceSSL: true });
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const { api, functions, tables } = props;
    this.alarm('Api5xx', api.metricServerError({ period: alarmPeriod, statistic: 'Sum' }), alarmThresholds.api5xx, 'The API answered 5xx');
    for (const [fnId, fn] of functions) {
      this.alarm(
        `${fnId}Errors`,
        fn.metricErrors({ period: alarmPeriod, statistic: 'Sum' }),
        alarmThresholds.functionErrors,
        `Function ${fnId} failed an invocation (a crash or a timeout: handlers answer errors, they do not throw)`,
      );
      this.alarm(
        `${fnId}Throttles`,
        fn.metricThrottles({ period: alarmPeriod, statistic: 'Sum' }),
        alarmThresholds.functionThrottles,
        `Function ${fnId} was throttled (account concurrency)`,
      );
    }
    for (const { table, definition } of [tables.events, tables.state]) {
      const name = definition.id;
      this.alarm(
        `${name}ReadThrottles`,
        table.metric('ReadThrottleEvents', { period: alarmPeriod, statistic: 'Sum' }),
        alarmThresholds.tableThrottles,
        `Reads of the ${name} table were throttled`,
      );
      this.alarm(
        `${name}WriteThrottles`,
        table.metric('WriteThrottleEvents', { period: alarmPeriod, statistic: 'Sum' }),
        alarmThresholds.tableThrottles,
        `Writes to the ${name} table were throttled`,
      );
      this.alarm(
        `${name}SystemErrors`,
        systemErrors({ table, definition }),
        alarmThresholds.tableSystemErrors,
        `DynamoDB answered 5xx on the ${name} table`,
      );
    }
    this.alarm(
      'Append5xx',
      appMetric(metricNames.serverErrors, appendEventsRoute.id),
      alarmThresholds.append5xx,
      'An append was answered 5xx (storage unavailable, busy or internal): a writer may be waiting to resend',
    );

    // The publisher refused a checkpoint (functions/publish/publish-checkpoints.ts): a log was rewritten or forked.
    this.alarm(
      'CheckpointWitness',
      new Metric({ namespace: metricNamespace, metricName: 'CheckpointWitnessFailures', statistic: 'Sum', period: Duration.minutes(5) }),
      1,
      'The checkpoint publisher refused a checkpoint: it does not extend the one published before (a rewritten or forked log)',
    );

    this.dashboard = this.buildDashboard(props);
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No datapoint means no such event in the period: not a breach.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  private buildDashboard({ api, functions, tables }: TalksAlarmsProps): Dashboard {
    const fns = [...functions];
    const bothTables = [tables.events, tables.state];
    const perTable = (metricName: string) =>
      bothTables.map(({ table, definition }) =>
        table.metric(metricName, { period: alarmPeriod, statistic: 'Sum', label: `${definition.id} ${metricName}` }),
      );
    const width = 8;
    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    dashboard.addWidgets(
      new GraphWidget({ title: 'API requests', width, left: [api.metricCount({ period: alarmPeriod, statistic: 'Sum' })] }),
      new GraphWidget({
        title: 'API latency',
        width,
        left: [
          api.metricLatency({ period: alarmPeriod, statistic: 'p50', label: 'latency p50' }),
          api.metricLatency({ period: alarmPeriod, statistic: 'p99', label: 'latency p99' }),
          api.metricIntegrationLatency({ period: alarmPeriod, statistic: 'p99', label: 'integration p99' }),
        ],
      }),
      new GraphWidget({
        title: 'API 4xx and 5xx',
        width,
        left: [
          api.metricClientError({ period: alarmPeriod, statistic: 'Sum', label: '4xx' }),
          api.metricServerError({ period: alarmPeriod, statistic: 'Sum', label: '5xx' }),
        ],
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors and throttles',
        width,
        left: fns.map(([fnId, fn]) => fn.metricErrors({ period: alarmPeriod, statistic: 'Sum', label: `${fnId} errors` })),
        right: fns.map(([fnId, fn]) => fn.metricThrottles({ period: alarmPeriod, statistic: 'Sum', label: `${fnId} throttles` })),
      }),
      new GraphWidget({
        title: 'Function duration p99',
        width,
        left: fns.map(([fnId, fn]) => fn.metricDuration({ period: alarmPeriod, statistic: 'p99', label: fnId })),
      }),
      new GraphWidget({
        title: 'Table consumed capacity',
        width,
        left: perTable('ConsumedReadCapacityUnits'),
        right: perTable('ConsumedWriteCapacityUnits'),
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Table throttles and system errors',
        width,
        left: [...perTable('ReadThrottleEvents'), ...perTable('WriteThrottleEvents')],
        right: bothTables.map(systemErrors),
      }),
      new GraphWidget({
        title: 'Appends',
        width,
        left: [
          appMetric(metricNames.submissions, appendEventsRoute.id, 'submissions'),
          appMetric(metricNames.eventsAppended, appendEventsRoute.id, 'events appended'),
          appMetric(metricNames.replays, appendEventsRoute.id, 'replays'),
          appMetric(metricNames.appendRetries, appendEventsRoute.id, 'retries'),
        ],
        right: [appMetric(metricNames.serverErrors, appendEventsRoute.id, 'append 5xx')],
      }),
      new GraphWidget({
        title: 'Refusals and conflicts by problem type',
        width,
        left: [byProblem(metricNames.refusals)],
        right: [byProblem(metricNames.conflicts)],
      }),
    );
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: this.alarms }));
    return dashboard;
  }
}
