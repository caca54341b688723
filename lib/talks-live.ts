import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { metricNamespace, serviceName } from '../functions/http/metric-names.js';
import { liveMetricDimension, liveMetricNames } from '../functions/live/live-fanout.js';
import { liveFanoutFunctionEnvVar } from '../functions/live/live-fanout-sink.js';
import { liveFunctionSpecs } from './function-specs.js';
import type { JwtSettings } from './talks-auth.js';
import { TalksFunction } from './talks-function.js';
import type { TalksTableSet } from './talks-tables.js';

export interface TalksLiveProps {
  readonly tables: TalksTableSet;
  readonly readsPublic: boolean;
  /** The issuer whose tokens the handshake accepts (the HTTP API's, Cognito's or an external one). */
  readonly jwt: JwtSettings;
  /** Where the alarms notify (the stack's alarm topic). */
  readonly alarmTopic: ITopic;
}

/** The WebSocket API's routes: API Gateway selects on `$request.body.action`. */
export const liveRouteKeys = ['$connect', '$disconnect', '$default', 'subscribe', 'unsubscribe', 'ping'] as const;
/** A stage name that says what it serves; the page and the CLI get the full URL, never build it. */
export const liveStageName = 'live';

/**
 * Live updates on AWS: an API Gateway WebSocket API whose routes one function serves
 * (functions/handlers/live-routes.ts), its connections and subscriptions in a table of their
 * own with TTL, and the fan-out function (functions/handlers/live-fanout.ts) that the feed's
 * consumer invokes with each change (functions/live/live-fanout-sink.ts; `feedConsumer`).
 */
export class TalksLive extends Construct {
  public readonly api: WebSocketApi;
  public readonly stage: WebSocketStage;
  public readonly connections: Table;
  public readonly routes: TalksFunction;
  public readonly fanout: TalksFunction;
  public readonly alarms: Alarm[];

  public constructor(scope: Construct, id: string, props: TalksLiveProps) {
    super(scope, id);
    this.connections = new Table(this, 'Connections', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: TableEncryption.AWS_MANAGED,
      // Who is connected right now: nothing to keep across a deletion of the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    const common = { tables: props.tables, readsPublic: props.readsPublic };
    this.routes = new TalksFunction(this, 'Routes', { ...common, spec: liveFunctionSpecs.routes });
    this.fanout = new TalksFunction(this, 'Fanout', { ...common, spec: liveFunctionSpecs.fanout });
    for (const fn of [this.routes, this.fanout]) fn.addEnvironment('LIVE_CONNECTIONS_TABLE', this.connections.tableName);
    this.routes.addEnvironment('JWT_ISSUER', props.jwt.issuer);
    this.routes.addEnvironment('JWT_AUDIENCE', props.jwt.audience.join(','));
    // Exact actions, one statement each: no grant*Data helper (they add Scan, ConditionCheck...).
    const table = [this.connections.tableArn];
    this.routes.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        resources: table,
      }),
    );
    this.fanout.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        resources: table,
      }),
    );

    const integration = new WebSocketLambdaIntegration('Routes', this.routes);
    this.api = new WebSocketApi(this, 'Api', {
      apiName: 'talks-status-live',
      description: 'Live updates of talks-status (README, "Live updates")',
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: { integration },
      disconnectRouteOptions: { integration },
      defaultRouteOptions: { integration, returnResponse: true },
    });
    for (const key of ['subscribe', 'unsubscribe', 'ping']) this.api.addRoute(key, { integration, returnResponse: true });
    for (const route of this.api.node.findAll().filter((c) => c.node.id.endsWith('-Route')))
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'WebSocket routes take no authorizer but on $connect, and $connect checks the token itself (functions/handlers/live-routes.ts): with the HTTP reads\u2019 rules, no token when reads are public, talks/read otherwise; the other routes run only on a connection $connect accepted.',
      });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: liveStageName,
      autoDeploy: true,
      // Subscribe and ping messages per second across the API; the fan-out is not throttled by this.
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            connectionId: '$context.connectionId',
            eventType: '$context.eventType',
            routeKey: '$context.routeKey',
            status: '$context.status',
            error: '$context.error.message',
            integrationError: '$context.integration.error',
          }),
        ),
      },
    });
    this.fanout.addEnvironment('LIVE_CALLBACK_URL', this.stage.callbackUrl);
    // Posting only (no DeleteConnection, no GET), and only on this stage.
    const apiArn = Stack.of(this).formatArn({ service: 'execute-api', resource: this.api.apiId });
    this.fanout.addToRolePolicy(
      new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [`${apiArn}/${liveStageName}/POST/@connections/*`] }),
    );
    Validations.of(this.fanout).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${Stack.of(this).getLogicalId(this.api.node.defaultChild as never)}>/${liveStageName}/POST/@connections/*]`,
      reason:
        'The management API names a connection in its ARN, and connections are made at run time: the statement is bounded to POST on this API and stage, so the fan-out can post to its own clients and do nothing else.',
    });

    const alarm = (name: string, metric: Metric) =>
      new Alarm(this, name, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    const period = Duration.minutes(5);
    this.alarms = [
      alarm('LiveRoutesErrors', this.routes.metricErrors({ period, statistic: 'Sum' })),
      alarm('LiveFanoutErrors', this.fanout.metricErrors({ period, statistic: 'Sum' })),
      alarm('LiveFanoutThrottles', this.fanout.metricThrottles({ period, statistic: 'Sum' })),
      // Posts that failed for another reason than a client gone: the management API refusing or throttling.
      alarm(
        'LiveMessagesFailed',
        new Metric({
          namespace: metricNamespace,
          metricName: liveMetricNames.failed,
          dimensionsMap: { [liveMetricDimension.service]: serviceName },
          statistic: 'Sum',
          period,
        }),
      ),
      // The API's own view: integration errors on any route (a $connect that failed, not one that refused).
      alarm(
        'LiveIntegrationErrors',
        new Metric({
          namespace: 'AWS/ApiGateway',
          metricName: 'IntegrationError',
          dimensionsMap: { ApiId: this.api.apiId, Stage: liveStageName },
          statistic: 'Sum',
          period,
        }),
      ),
    ];
    for (const a of this.alarms) {
      a.addAlarmAction(new SnsAction(props.alarmTopic));
      a.addOkAction(new SnsAction(props.alarmTopic));
    }
  }

  /** The page and the CLI connect here: wss://<api>.execute-api.<region>.amazonaws.com/live */
  public get url(): string {
    return this.stage.url;
  }

  /** Lets the feed's consumer hand changes to the fan-out: the function's name and the one action it needs on it. */
  public feedConsumer(consumer: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    consumer.addEnvironment(liveFanoutFunctionEnvVar, this.fanout.functionName);
    consumer.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fanout.functionArn] }));
  }
}
