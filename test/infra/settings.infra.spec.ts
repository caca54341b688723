import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsPolicy } from '../../functions/http/cors-policy.js';
import { pageRoutes, requiredScope, routeTable, scopes } from '../../functions/http/routes.js';
import { functionSpecs, jobSpecs } from '../../lib/function-specs.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { httpApiResources, projectApp } from '../support/cdk-app.js';

type Resource = { Properties: Record<string, unknown> };

let outRoot: string;

// Bundling is skipped: these variants differ only in the template.
const stackWith = (context: Record<string, unknown>) => {
  const outdir = mkdtempSync(join(outRoot, 'app-'));
  const app = projectApp({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return new TalksStatusStack(app, 'TalksStatus');
};

const routesByKey = (template: Template) =>
  new Map(
    Object.values(httpApiResources(template, 'AWS::ApiGatewayV2::Route') as Record<string, Resource>).map(
      (r) => [String(r.Properties.RouteKey), r.Properties] as const,
    ),
  );

const issuer = 'https://issuer.example.org/';
let externalIssuer: Template;
let privateReads: Template;

beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'talks-settings-'));
  externalIssuer = Template.fromStack(stackWith({ jwtIssuer: issuer, jwtAudience: 'talks-api, talks-cli' }));
  // As `cdk synth -c readsPublic=false` passes it: a string.
  privateReads = Template.fromStack(stackWith({ readsPublic: 'false' }));
}, 120_000);

afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe('context jwtIssuer and jwtAudience', () => {
  it('creates no Cognito resources and no Cognito outputs', () => {
    for (const type of ['UserPool', 'UserPoolClient', 'UserPoolResourceServer', 'UserPoolDomain']) {
      externalIssuer.resourceCountIs(`AWS::Cognito::${type}`, 0);
    }
    expect(Object.keys(externalIssuer.findOutputs('*')).sort()).toEqual(
      [
        'ApiUrl',
        'StatusPageUrl',
        'AlarmTopicArn',
        'EventBusName',
        'LiveUrl',
        'DistributionUrl',
        'OriginUrl',
        'CheckpointKeyArn',
        'CheckpointBucketName',
        ...jobSpecs.map((j) => `${j.id}FunctionName`),
      ].sort(),
    );
  });

  it('makes the authorizer trust exactly the given issuer and audiences', () => {
    externalIssuer.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    externalIssuer.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: issuer, Audience: ['talks-api', 'talks-cli'] },
    });
  });

  it('still guards the routes that need a scope', () => {
    const routes = routesByKey(externalIssuer);
    for (const route of routeTable) {
      const scope = requiredScope(route, true);
      const properties = routes.get(`${route.method} ${route.path}`);
      expect(properties?.AuthorizationType).toBe(scope === undefined ? 'NONE' : 'JWT');
      expect(properties?.AuthorizationScopes).toEqual(scope === undefined ? undefined : [scope]);
    }
  });
});

describe('context readsPublic=false', () => {
  it('puts a JWT authorizer with the required scope on every route', () => {
    const routes = routesByKey(privateReads);
    expect(routes.size).toBe(routeTable.length + pageRoutes.length);
    for (const route of [...routeTable, ...pageRoutes]) {
      const properties = routes.get(`${route.method} ${route.path}`);
      const scope = requiredScope(route, false);
      // Only `public` routes (the OpenAPI document, the page's files) stay open when reads are private.
      expect(properties?.AuthorizationType).toBe(scope === undefined ? 'NONE' : 'JWT');
      expect(properties?.AuthorizationScopes).toEqual(scope === undefined ? undefined : [scope]);
    }
  });

  it('leaves only the public routes open', () => {
    const routes = routesByKey(privateReads);
    const all = [...routeTable, ...pageRoutes];
    const open = all.filter((r) => routes.get(`${r.method} ${r.path}`)?.AuthorizationType === 'NONE').map((r) => `${r.method} ${r.path}`);
    expect(open).toEqual(all.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.path}`));
    // The page's files hold no data: its reads of the API still need talks/read.
    expect(open).toEqual(['GET /openapi.json', 'GET /', 'GET /web/{file}']);
  });

  it('requires talks/read on every read route', () => {
    const routes = routesByKey(privateReads);
    const reads = routeTable.filter((r) => r.access === 'read');
    expect(reads.length).toBeGreaterThan(0);
    for (const route of reads) {
      expect(routes.get(`${route.method} ${route.path}`)?.AuthorizationScopes).toEqual([scopes.read]);
    }
  });

  it('tells every function that reads are not public', () => {
    const functions = Object.values(privateReads.findResources('AWS::Lambda::Function') as Record<string, Resource>);
    // The contract's functions and the live updates' two (routes and fan-out), which apply the same read rules.
    expect(functions).toHaveLength(functionSpecs.length + 2);
    for (const fn of functions) {
      const { Variables } = fn.Properties.Environment as { Variables: Record<string, unknown> };
      expect(Variables.READS_PUBLIC).toBe('false');
    }
  });
});

describe('context corsOrigins', () => {
  const corsOf = (template: Template) => {
    const apis = Object.values(httpApiResources(template, 'AWS::ApiGatewayV2::Api') as Record<string, Resource>);
    expect(apis).toHaveLength(1);
    return apis[0]!.Properties.CorsConfiguration;
  };

  it('is off by default: the page is served by the API itself, so nothing needs another origin', () => {
    expect(corsOf(privateReads)).toBeUndefined();
    expect(corsOf(externalIssuer)).toBeUndefined();
  });

  it('lets the HTTP API answer preflights for exactly those origins, with the shared policy', () => {
    const template = Template.fromStack(stackWith({ corsOrigins: 'https://news.example, https://desk.example:8443' }));
    expect(corsOf(template)).toEqual({
      AllowOrigins: ['https://news.example', 'https://desk.example:8443'],
      AllowMethods: [...corsPolicy.allowMethods],
      AllowHeaders: [...corsPolicy.allowHeaders],
      ExposeHeaders: [...corsPolicy.exposeHeaders],
      MaxAge: corsPolicy.maxAgeSeconds,
      AllowCredentials: false,
    });
    // No OPTIONS route: preflights never reach a function or the authorizer.
    expect([...routesByKey(template).keys()].filter((key) => key.startsWith('OPTIONS'))).toEqual([]);
  });
});

describe('invalid context fails the synthesis instead of deploying something else', () => {
  it('rejects a readsPublic that is not a boolean', () => {
    expect(() => stackWith({ readsPublic: 'no' })).toThrow(/readsPublic/);
  });

  it('rejects a corsOrigins entry that is not an origin', () => {
    expect(() => stackWith({ corsOrigins: 'https://news.example/widgets' })).toThrow(/corsOrigins.*widgets/);
    expect(() => stackWith({ corsOrigins: '*,https://news.example' })).toThrow(/corsOrigins/);
  });

  it('rejects an issuer without an audience, and an audience without an issuer', () => {
    expect(() => stackWith({ jwtIssuer: issuer })).toThrow(/jwtIssuer.*jwtAudience/);
    expect(() => stackWith({ jwtAudience: 'talks-api' })).toThrow(/jwtIssuer.*jwtAudience/);
  });
});
