import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes, type RouteDefinition, requiredScope, scopes } from '../../functions/http/routes.js';
import { functionServing } from '../../lib/function-specs.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { httpApiResources, projectApp } from '../support/cdk-app.js';

type Resource = { Properties: Record<string, unknown> };
let outdir: string;
let stack: TalksStatusStack;
let template: Template;

beforeAll(() => {
  // Bundling is skipped here: only the template matters (stack.infra.spec bundles).
  outdir = mkdtempSync(join(tmpdir(), 'talks-api-'));
  const app = projectApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new TalksStatusStack(app, 'TalksStatus');
  template = Template.fromStack(stack);
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
// The HTTP API's resources only: the live updates' WebSocket API is asserted in live.infra.spec.ts.
const resources = (type: string) =>
  (type.startsWith('AWS::ApiGatewayV2::') ? httpApiResources(template, type) : template.findResources(type)) as Record<string, Resource>;
const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
// The page's routes share the page's function; every other route has its own.
const functionOf = (route: RouteDefinition) => stack.functions.get(functionServing(route).id);

const routeResource = (key: string): Resource => {
  const found = Object.values(resources('AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.RouteKey === key);
  expect(found).toHaveLength(1);
  return found[0] as Resource;
};

describe('routes match the route table', () => {
  it('every template route is one route-table entry and every entry one template route', () => {
    const inTemplate = Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    const defined = allRoutes.map(routeKey);
    expect(new Set(defined).size).toBe(defined.length);
    expect([...inTemplate].sort()).toEqual([...defined].sort());
  });

  describe.each(allRoutes.map((r) => [routeKey(r), r] as const))('%s', (key, route) => {
    it('reaches its own function through a payload 2.0 Lambda proxy integration', () => {
      const target = JSON.stringify(routeResource(key).Properties.Target);
      const [integrationId] = Object.keys(resources('AWS::ApiGatewayV2::Integration')).filter((id) => target.includes(`"${id}"`));
      const integration = resources('AWS::ApiGatewayV2::Integration')[integrationId ?? ''];
      const fn = functionOf(route);
      if (integration === undefined || fn === undefined) throw new Error(`${key} is unwired`);
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] },
      });
    });

    it('is authorized exactly as requiredScope says (reads public by default)', () => {
      const scope = requiredScope(route, true);
      const { Properties } = routeResource(key);
      if (scope === undefined) {
        expect(Properties.AuthorizationType).toBe('NONE');
        expect(Properties.AuthorizerId).toBeUndefined();
        expect(Properties.AuthorizationScopes).toBeUndefined();
      } else {
        expect(Properties.AuthorizationType).toBe('JWT');
        expect(Properties.AuthorizationScopes).toEqual([scope]);
        const [authorizerId] = Object.keys(resources('AWS::ApiGatewayV2::Authorizer'));
        expect(Properties.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    });

    it('lets API Gateway invoke only that function, only from this API', () => {
      const fn = functionOf(route);
      if (fn === undefined) throw new Error(`no function for ${route.id}`);
      const permissions = Object.values(resources('AWS::Lambda::Permission')).filter((p) =>
        JSON.stringify(p.Properties.FunctionName).includes(`"${logicalId(fn)}"`),
      );
      expect(permissions).toHaveLength(allRoutes.filter((r) => functionOf(r) === fn).length);
      expect(permissions[0]?.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permissions[0]?.Properties.SourceArn)).toContain(logicalId(stack.api.httpApi));
    });
  });
});

describe('default stage', () => {
  const stage = () => {
    const stages = Object.values(resources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    return (stages[0] as Resource).Properties;
  };

  it('is the auto-deployed $default stage, throttled', () => {
    expect(stage()).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('writes JSON access logs with the request id to a log group kept a month', () => {
    const settings = stage().AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(format.routeKey).toBe('$context.routeKey');
    expect(format.status).toBe('$context.status');
    const destination = settings.DestinationArn as { 'Fn::GetAtt': [string, string] };
    const [logGroupId] = destination['Fn::GetAtt'];
    expect(resources('AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBe(30);
  });

  it('outputs the API URL behind the CDN as OriginUrl, and the distribution as ApiUrl', () => {
    const api = JSON.stringify(template.findOutputs('ApiUrl').ApiUrl?.Value);
    expect(api).toContain(`{"Fn::GetAtt":["${logicalId(stack.cdn?.distribution ?? stack)}","DomainName"]}`);
    const url = JSON.stringify(template.findOutputs('OriginUrl').OriginUrl?.Value);
    expect(url).toContain('https://');
    expect(url).toContain(`{"Ref":"${logicalId(stack.api.httpApi)}"}`);
    expect(url).toContain('.execute-api.');
  });
});

describe('without an external issuer: a Cognito pool for machine clients', () => {
  it('has one pool whose resource server defines exactly the talks scopes', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    const [server] = Object.values(resources('AWS::Cognito::UserPoolResourceServer'));
    expect(server?.Properties.Identifier).toBe('talks');
    const names = ((server?.Properties.Scopes ?? []) as { ScopeName: string }[]).map((s) => s.ScopeName);
    const fullNames = names.map((name) => `${String(server?.Properties.Identifier)}/${name}`);
    expect(fullNames.sort()).toEqual(Object.values(scopes).sort());
  });

  it('has a client-credentials client that the authorizer trusts', () => {
    const clients = Object.entries(resources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const [clientId, client] = clients[0] ?? [];
    expect(client?.Properties).toMatchObject({
      AllowedOAuthFlows: ['client_credentials'],
      GenerateSecret: true,
    });
    expect(client?.Properties.AllowedOAuthScopes).toHaveLength(Object.keys(scopes).length);
    const [poolId] = Object.keys(resources('AWS::Cognito::UserPool'));
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] },
        Audience: [{ Ref: clientId }],
      },
    });
  });

  it('has a domain serving the token endpoint, which is output', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    expect(Object.keys(template.findOutputs('TokenUrl'))).toEqual(['TokenUrl']);
  });
});
