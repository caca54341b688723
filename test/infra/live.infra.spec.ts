import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { liveFanoutFunctionEnvVar } from '../../functions/live/live-fanout-sink.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

/** The WebSocket API of the live updates, as synthesized (bundling skipped: only the template is read). */
type Resource = { Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const synth = (context: Record<string, unknown> = {}) => {
  const app = projectApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new TalksStatusStack(app, 'TalksStatus');
  return { stack, template: Template.fromStack(stack) };
};
let stack: TalksStatusStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synth());
}, 120_000);

const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of the policies attached to a function's role. */
function statementsOf(fn: { role?: { node: { defaultChild?: unknown } } }): Statement[] {
  const roleId = id(fn.role as { node: { defaultChild?: unknown } });
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOn = (statements: Statement[], logicalId: string) =>
  statements.filter((s) => JSON.stringify(s.Resource).includes(`"${logicalId}"`)).flatMap((s) => list(s.Action));

describe('the live updates on AWS', () => {
  it('is a WebSocket API routing on the action, with $connect, $disconnect, $default, subscribe, unsubscribe and ping', () => {
    const [api] = Object.values(resources('AWS::ApiGatewayV2::Api')).filter((a) => a.Properties.ProtocolType === 'WEBSOCKET');
    expect(api?.Properties.RouteSelectionExpression).toBe('$request.body.action');
    const routes = Object.values(resources('AWS::ApiGatewayV2::Route')).filter((r) =>
      JSON.stringify(r.Properties.ApiId).includes(id(stack.live.api)),
    );
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      ['$connect', '$default', '$disconnect', 'ping', 'subscribe', 'unsubscribe'].sort(),
    );
    // The answers to messages go back through route responses.
    const responses = Object.values(resources('AWS::ApiGatewayV2::RouteResponse'));
    expect(responses).toHaveLength(4);
    const stage = Object.values(resources('AWS::ApiGatewayV2::Stage')).find((s) => s.Properties.StageName === 'live');
    expect(stage?.Properties).toMatchObject({
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { Format: expect.stringContaining('$context.connectionId') },
    });
  });

  it('keeps connections and subscriptions in a table of their own that expires them (TTL), with PITR', () => {
    expect(resources('AWS::DynamoDB::Table')[id(stack.live.connections)]?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('grants each function exactly what it does: routes read and write connections, the fan-out queries, deletes the gone, posts', () => {
    const table = id(stack.live.connections);
    expect(new Set(actionsOn(statementsOf(stack.live.routes), table))).toEqual(
      new Set(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
    );
    expect(new Set(actionsOn(statementsOf(stack.live.fanout), table))).toEqual(
      new Set(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
    );
    const manage = statementsOf(stack.live.fanout).filter((s) => list(s.Action).includes('execute-api:ManageConnections'));
    expect(manage).toHaveLength(1);
    expect(JSON.stringify(manage[0]!.Resource)).toContain('/live/POST/@connections/*');
    expect(JSON.stringify(manage[0]!.Resource)).toContain(id(stack.live.api));
    // Neither touches the log nor the status, and the routes function posts nothing (its answers are route responses).
    for (const fn of [stack.live.routes, stack.live.fanout])
      for (const t of [stack.tables.events.table, stack.tables.state.table]) expect(actionsOn(statementsOf(fn), id(t))).toEqual([]);
    expect(statementsOf(stack.live.routes).flatMap((s) => list(s.Action))).not.toContain('execute-api:ManageConnections');
  });

  it('tells the fan-out where to post and the routes which issuer to trust; gives the page the wss:// URL', () => {
    const env = (fn: { node: { defaultChild?: unknown } }) =>
      (resources('AWS::Lambda::Function')[id(fn)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(env(stack.live.fanout).LIVE_CALLBACK_URL)).toContain('https://');
    expect(env(stack.live.routes)).toMatchObject({ READS_PUBLIC: 'true', JWT_AUDIENCE: expect.anything() });
    expect(env(stack.live.routes).JWT_ISSUER).toBeDefined();
    expect(JSON.stringify(env(stack.page).LIVE_URL)).toContain('wss://');
    expect(JSON.stringify(env(stack.page).LIVE_URL)).toContain('/live');
    const privateReads = synth({ readsPublic: false });
    const routes = privateReads.template.findResources('AWS::Lambda::Function')[
      privateReads.stack.getLogicalId(privateReads.stack.live.routes.node.defaultChild as CfnElement)
    ] as Resource;
    expect((routes.Properties.Environment as { Variables: Record<string, unknown> }).Variables.READS_PUBLIC).toBe('false');
  });

  it('alarms on the functions\u2019 errors and throttles, failed posts and integration errors, to the alarm topic', () => {
    expect(stack.live.alarms.map((a) => a.node.id).sort()).toEqual(
      ['LiveFanoutErrors', 'LiveFanoutThrottles', 'LiveIntegrationErrors', 'LiveMessagesFailed', 'LiveRoutesErrors'].sort(),
    );
    const alarms = resources('AWS::CloudWatch::Alarm');
    for (const a of stack.live.alarms) {
      const props = alarms[id(a)]?.Properties;
      expect(props).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, AlarmActions: [{ Ref: id(stack.alarms.topic) }] });
    }
    expect(alarms[id(stack.live.alarms.find((a) => a.node.id === 'LiveMessagesFailed')!)]?.Properties).toMatchObject({
      Namespace: 'TalksStatus',
      MetricName: 'LiveMessagesFailed',
    });
  });

  it("is fed by the stack's own stream consumer: the fan-out's name in its environment, leave to invoke it", () => {
    const consumer = stack.functions.get('FeedConsumer')!;
    const fnProps = resources('AWS::Lambda::Function')[id(consumer)]?.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(fnProps.Environment.Variables[liveFanoutFunctionEnvVar]).toEqual({ Ref: id(stack.live.fanout) });
    const roleId = id(consumer.role!);
    const invokes = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((st) => JSON.stringify(st.Action).includes('lambda:InvokeFunction'));
    expect(invokes).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [id(stack.live.fanout), 'Arn'] } },
    ]);
  });

  it("lets a feed consumer invoke the fan-out, and nothing more, with the function's name in its environment", () => {
    const app = projectApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    const s = new TalksStatusStack(app, 'TalksStatus');
    const consumer = new LambdaFunction(s, 'Consumer', {
      runtime: s.live.routes.runtime,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => {}'),
    });
    s.live.feedConsumer(consumer);
    const t = Template.fromStack(s);
    const fnProps = t.findResources('AWS::Lambda::Function')[s.getLogicalId(consumer.node.defaultChild as CfnElement)] as Resource;
    expect(JSON.stringify((fnProps.Properties.Environment as { Variables: Record<string, unknown> }).Variables)).toContain(
      liveFanoutFunctionEnvVar,
    );
    const roleId = s.getLogicalId(consumer.role!.node.defaultChild as CfnElement);
    const statements = Object.values(t.findResources('AWS::IAM::Policy') as Record<string, Resource>)
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [s.getLogicalId(s.live.fanout.node.defaultChild as CfnElement), 'Arn'] },
      },
    ]);
  });
});
