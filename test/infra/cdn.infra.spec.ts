import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originSecretEnvVar, originVerifyHeader } from '../../functions/http/origin-settings.js';
import { jobSpecs } from '../../lib/function-specs.js';
import { cacheKeyQueryStrings } from '../../lib/talks-cdn.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

// CloudFront's managed policies, by their documented ids.
const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const allViewerExceptHost = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

type Resource = { Properties: Record<string, unknown> };
interface Behavior {
  PathPattern?: string;
  AllowedMethods: string[];
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  ViewerProtocolPolicy: string;
  Compress: boolean;
}
interface KeyConfig {
  QueryStringsConfig: { QueryStringBehavior: string; QueryStrings?: string[] };
  HeadersConfig: { HeaderBehavior: string; Headers?: string[] };
  CookiesConfig: { CookieBehavior: string };
}

let outRoot: string;
const stacks = new Map<string, { stack: TalksStatusStack; template: Template }>();
const settings = {
  default: {},
  'private reads': { readsPublic: 'false' },
  cors: { corsOrigins: 'https://news.example' },
  'no CDN': { cdn: 'false' },
} as const;

beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'talks-cdn-'));
  for (const [name, context] of Object.entries(settings)) {
    const app = projectApp({ outdir: join(outRoot, name.replace(/\W/g, '-')), context: { 'aws:cdk:bundling-stacks': [], ...context } });
    const stack = new TalksStatusStack(app, 'TalksStatus');
    stacks.set(name, { stack, template: Template.fromStack(stack) });
  }
}, 180_000);
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

const get = (name: keyof typeof settings) => {
  const found = stacks.get(name);
  if (found === undefined) throw new Error(`not synthesized: ${name}`);
  return found;
};
const logicalId = (stack: TalksStatusStack, c: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(c.node.defaultChild as CfnElement);

function distributionOf(template: Template) {
  const distributions = Object.values(template.findResources('AWS::CloudFront::Distribution')) as Resource[];
  expect(distributions).toHaveLength(1);
  return distributions[0]!.Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: {
      DomainName: unknown;
      CustomOriginConfig: Record<string, unknown>;
      OriginCustomHeaders: { HeaderName: string; HeaderValue: unknown }[];
    }[];
    Logging?: { Bucket: unknown; Prefix: string };
  };
}

/** Each behaviour by path pattern (`*` for the default), with its cache key when the policy is ours. */
function behaviours(template: Template) {
  const config = distributionOf(template);
  const policies = template.findResources('AWS::CloudFront::CachePolicy') as Record<string, Resource>;
  return new Map(
    [{ ...config.DefaultCacheBehavior, PathPattern: '*' }, ...config.CacheBehaviors].map((b) => {
      const ref = (b.CachePolicyId as { Ref?: string }).Ref;
      const config = policies[ref ?? '']?.Properties.CachePolicyConfig as
        | { ParametersInCacheKeyAndForwardedToOrigin: KeyConfig }
        | undefined;
      const key = config?.ParametersInCacheKeyAndForwardedToOrigin;
      return [b.PathPattern ?? '*', { behaviour: b, key }] as const;
    }),
  );
}

describe('the distribution in front of the API (public reads)', () => {
  it('is there by default, with its URL as ApiUrl and the API as origin over TLS 1.2 only', () => {
    const { template, stack } = get('default');
    const config = distributionOf(template);
    expect(config.Origins).toHaveLength(1);
    expect(JSON.stringify(config.Origins[0]?.DomainName)).toContain(logicalId(stack, stack.api.httpApi));
    expect(config.Origins[0]?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(JSON.stringify(template.findOutputs('DistributionUrl'))).toContain(logicalId(stack, stack.cdn?.distribution ?? stack));
  });

  it('serves every path over HTTPS only (redirect), compressed', () => {
    for (const [path, { behaviour }] of behaviours(get('default').template)) {
      expect(behaviour.ViewerProtocolPolicy, path).toBe('redirect-to-https');
      expect(behaviour.Compress, path).toBe(true);
    }
  });

  it('keys each read on exactly the query parameters its answer depends on, and no header or cookie', () => {
    const found = behaviours(get('default').template);
    const expected: Record<string, readonly string[]> = {
      '/talks/*': cacheKeyQueryStrings.status,
      '/talks': cacheKeyQueryStrings.list,
      '*': [],
      '/web/*': [],
    };
    expect(cacheKeyQueryStrings).toEqual({
      status: ['asOf', 'atVersion', 'validAt'],
      history: ['after', 'limit', 'types'],
      list: ['limit', 'cursor'],
    });
    for (const [path, queryStrings] of Object.entries(expected)) {
      const key = found.get(path)?.key;
      expect(key, path).toBeDefined();
      expect(key?.QueryStringsConfig, path).toEqual(
        queryStrings.length === 0 ? { QueryStringBehavior: 'none' } : { QueryStringBehavior: 'whitelist', QueryStrings: [...queryStrings] },
      );
      expect(key?.HeadersConfig, path).toEqual({ HeaderBehavior: 'none' });
      expect(key?.CookiesConfig, path).toEqual({ CookieBehavior: 'none' });
      expect(found.get(path)?.behaviour.AllowedMethods, path).toEqual(['GET', 'HEAD']);
    }
  });

  it('sends writes and the audit to the origin uncached, with every viewer header but Host', () => {
    const found = behaviours(get('default').template);
    for (const path of ['/talks/*/events', '/talks/*/audit']) {
      expect(found.get(path)?.behaviour.CachePolicyId, path).toBe(cachingDisabled);
      expect(found.get(path)?.behaviour.OriginRequestPolicyId, path).toBe(allViewerExceptHost);
    }
    // Most specific first: CloudFront takes the first pattern that matches.
    const order = [...found.keys()];
    expect(order.indexOf('/talks/*/events')).toBeLessThan(order.indexOf('/talks/*'));
    expect(order.indexOf('/talks/*/audit')).toBeLessThan(order.indexOf('/talks/*'));
  });

  it('logs access to an S3 bucket that blocks public access and enforces TLS', () => {
    const { template } = get('default');
    expect(distributionOf(template).Logging?.Prefix).toBe('cloudfront/');
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });
});

describe.each(['default', 'private reads', 'cors'] as const)('in every setting with the CDN: %s', (name) => {
  it('has no cache policy with Authorization (or any header but Origin) in its key', () => {
    const policies = Object.values(get(name).template.findResources('AWS::CloudFront::CachePolicy')) as Resource[];
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      const key = (policy.Properties.CachePolicyConfig as { ParametersInCacheKeyAndForwardedToOrigin: KeyConfig })
        .ParametersInCacheKeyAndForwardedToOrigin;
      expect((key.HeadersConfig.Headers ?? []).map((h) => h.toLowerCase())).not.toContain('authorization');
      expect((key.HeadersConfig.Headers ?? []).filter((h) => h !== 'Origin')).toEqual([]);
      expect(key.CookiesConfig).toEqual({ CookieBehavior: 'none' });
      // The origin's Cache-Control decides: nothing without it is kept.
      expect(policy.Properties.CachePolicyConfig).toMatchObject({ MinTTL: 0, DefaultTTL: 0, MaxTTL: 31_536_000 });
    }
  });

  it('uses CachingDisabled on every behaviour that allows POST', () => {
    const posting = [...behaviours(get(name).template).values()].filter(({ behaviour }) => behaviour.AllowedMethods.includes('POST'));
    expect(posting.map(({ behaviour }) => behaviour.PathPattern)).toEqual(['/talks/*/events']);
    for (const { behaviour } of posting) expect(behaviour.CachePolicyId).toBe(cachingDisabled);
  });

  it('adds the secret header to every origin request, and every API function (no job) expects the same secret', () => {
    const { template, stack } = get(name);
    const secretRef = { Ref: logicalId(stack, stack.cdn?.originSecret ?? stack) };
    const resolved = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', secretRef, ':SecretString:::}}']] };
    expect(distributionOf(template).Origins[0]?.OriginCustomHeaders).toEqual([{ HeaderName: originVerifyHeader, HeaderValue: resolved }]);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    });
    const jobs = new Set(jobSpecs.map((j) => j.id));
    for (const [id, fn] of stack.functions) {
      const variables = (template.findResources('AWS::Lambda::Function')[logicalId(stack, fn)] as Resource).Properties.Environment as {
        Variables: Record<string, unknown>;
      };
      expect(variables.Variables[originSecretEnvVar], id).toEqual(jobs.has(id) ? undefined : resolved);
    }
  });
});

describe('with private reads', () => {
  it('caches no read at the edge: status and list go to the origin with their token', () => {
    const found = behaviours(get('private reads').template);
    for (const path of ['/talks/*', '/talks']) {
      expect(found.get(path)?.behaviour.CachePolicyId, path).toBe(cachingDisabled);
      expect(found.get(path)?.behaviour.OriginRequestPolicyId, path).toBe(allViewerExceptHost);
    }
    // The page's files and the OpenAPI document stay public and cached.
    expect(found.get('*')?.key?.QueryStringsConfig).toEqual({ QueryStringBehavior: 'none' });
  });
});

describe('with CORS origins', () => {
  it('keys cached answers on Origin too (the allowed origin is echoed) and lets preflights through', () => {
    const found = behaviours(get('cors').template);
    for (const path of ['/talks/*', '/talks', '*']) {
      expect(found.get(path)?.key?.HeadersConfig, path).toEqual({ HeaderBehavior: 'whitelist', Headers: ['Origin'] });
      expect(found.get(path)?.behaviour.AllowedMethods, path).toEqual(['GET', 'HEAD', 'OPTIONS']);
    }
  });
});

describe('-c cdn=false', () => {
  it('deploys no distribution, no secret, and leaves the functions unguarded', () => {
    const { template, stack } = get('no CDN');
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(stack.cdn).toBeUndefined();
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function')) as Resource[]) {
      const { Variables } = fn.Properties.Environment as { Variables: Record<string, unknown> };
      expect(Variables[originSecretEnvVar]).toBeUndefined();
    }
    expect(JSON.stringify(template.findOutputs('ApiUrl'))).toContain('execute-api');
  });
});
