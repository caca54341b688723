import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, statusPageRoute } from '../../functions/http/routes.js';
import { type KeyAttribute, type TableDefinition, tableDefinitions } from '../../functions/store/table-definitions.js';
import { esbuildOptionsOf } from '../../lib/function-bundling.js';
import { functionServing, functionSpecs, jobSpecs } from '../../lib/function-specs.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

// The one synthesis of this file, with real esbuild bundling: it proves every route's
// entry bundles as the ESM the functions are configured for.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let outdir: string;
let stack: TalksStatusStack;
let template: Template;
type Resource = { Properties: Record<string, unknown>; [key: string]: unknown };
const esmRequireShim = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'talks-infra-'));
  // Asset metadata (as the CDK CLI enables it) tells where each bundle was written.
  const app = projectApp({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  stack = new TalksStatusStack(app, 'TalksStatus');
  template = Template.fromStack(stack);
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const fail = (): never => {
  throw new Error('the stack has no CDN');
};
const logicalId = (element: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(element.node.defaultChild as CfnElement);

const resource = (type: string, id: string): Resource => {
  const found = template.findResources(type)[id] as Resource | undefined;
  if (found === undefined) throw new Error(`no ${type} ${id}`);
  return found;
};

const keySchema = (partition: KeyAttribute, sort: KeyAttribute) => [
  { AttributeName: partition.name, KeyType: 'HASH' },
  { AttributeName: sort.name, KeyType: 'RANGE' },
];

const attributeDefinitions = (definition: TableDefinition) => {
  const keys = [definition.partitionKey, definition.sortKey].concat(
    definition.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    definition.localSecondaryIndexes.map((i) => i.sortKey),
  );
  const unique = new Map(keys.map((k) => [k.name, { AttributeName: k.name, AttributeType: k.type }]));
  return [...unique.values()];
};

const byName = (a: { AttributeName: string }, b: { AttributeName: string }) => a.AttributeName.localeCompare(b.AttributeName);

describe('tables match tableDefinitions', () => {
  it('creates exactly one table per definition', () => {
    // Plus the live updates' connections table (lib/talks-live.ts, asserted in live.infra.spec.ts).
    template.resourceCountIs('AWS::DynamoDB::Table', tableDefinitions.length + 1);
    const built = [stack.tables.events, stack.tables.state, stack.tables.feed].map((t) => t.definition.id);
    expect(built.sort()).toEqual(tableDefinitions.map((d) => d.id).sort());
  });

  describe.each(tableDefinitions.map((d) => [d.id, d] as const))('%s', (id, definition) => {
    const table = (): Resource => {
      const built = [stack.tables.events, stack.tables.state, stack.tables.feed].find((t) => t.definition.id === id);
      if (built === undefined) throw new Error(`table ${id} not built`);
      return resource('AWS::DynamoDB::Table', logicalId(built.table));
    };

    it('has the defined key schema and attribute types', () => {
      const { Properties } = table();
      expect(Properties.KeySchema).toEqual(keySchema(definition.partitionKey, definition.sortKey));
      const attributes = Properties.AttributeDefinitions as { AttributeName: string }[];
      expect([...attributes].sort(byName)).toEqual(attributeDefinitions(definition).sort(byName));
    });

    it('has exactly the defined local secondary indexes, projecting everything', () => {
      const expected = definition.localSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(definition.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      }));
      expect(table().Properties.LocalSecondaryIndexes ?? []).toEqual(expected);
    });

    it('has exactly the defined global secondary indexes, projecting only the defined attributes', () => {
      const expected = definition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
      }));
      expect(table().Properties.GlobalSecondaryIndexes ?? []).toEqual(expected);
    });

    it('is on-demand, encrypted, recoverable, deletion-protected and retained', () => {
      const { Properties, DeletionPolicy, UpdateReplacePolicy } = table();
      expect(Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(Properties.SSESpecification).toEqual({ SSEEnabled: true });
      expect(Properties.PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
      expect(Properties.DeletionProtectionEnabled).toBe(true);
      expect(DeletionPolicy).toBe('Retain');
      expect(UpdateReplacePolicy).toBe('Retain');
    });

    it(definition.stream ? 'streams new images' : 'has no stream', () => {
      const expected = definition.stream ? { StreamViewType: 'NEW_IMAGE' } : undefined;
      expect(table().Properties.StreamSpecification).toEqual(expected);
    });
  });
});

describe('one function per route', () => {
  it.each(jobSpecs.map((j) => [j.id, j] as const))('deploys the %s job with its own timeout, outside the API', (id, job) => {
    const construct = stack.jobs.get(id);
    if (construct === undefined) throw new Error(`no function for job ${id}`);
    const fnId = logicalId(construct);
    expect(resource('AWS::Lambda::Function', fnId).Properties).toMatchObject({ Timeout: job.timeoutSeconds, Description: job.description });
    const integrations = JSON.stringify(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations).not.toContain(`"${fnId}"`);
  });

  it('has no other functions (no custom-resource providers)', () => {
    // Plus the live updates' two (routes and fan-out: lib/talks-live.ts, asserted in live.infra.spec.ts).
    template.resourceCountIs('AWS::Lambda::Function', functionSpecs.length + [stack.live.routes, stack.live.fanout].length);
    expect(Object.keys(template.findResources('Custom::LogRetention'))).toEqual([]);
  });

  describe.each(routeTable.map((r) => [r.id, r] as const))('%s', (id, route) => {
    const fn = () => {
      const construct = stack.functions.get(id);
      if (construct === undefined) throw new Error(`no function for ${id}`);
      return resource('AWS::Lambda::Function', logicalId(construct));
    };

    it('runs Node 24 on arm64 with the shared defaults', () => {
      expect(fn().Properties).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        Description: `${route.method} ${route.path}`,
      });
    });

    it('gets both table names and its settings from the environment', () => {
      const variables = (fn().Properties.Environment as { Variables: object }).Variables;
      expect(variables).toEqual({
        NODE_OPTIONS: '--enable-source-maps',
        EVENTS_TABLE: { Ref: logicalId(stack.tables.events.table) },
        STATE_TABLE: { Ref: logicalId(stack.tables.state.table) },
        // The webhook routes' functions also get the Feed table (subscriptions, deliveries).
        ...((functionServing(route).tables as { feed?: string }).feed === undefined
          ? {}
          : { FEED_TABLE: { Ref: logicalId(stack.tables.feed.table) } }),
        READS_PUBLIC: 'true',
        SNAPSHOT_INTERVAL: '50',
        // Behind the CDN: the secret CloudFront sends, resolved from Secrets Manager at deployment.
        ORIGIN_VERIFY_SECRET: {
          'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: logicalId(stack.cdn?.originSecret ?? fail()) }, ':SecretString:::}}']],
        },
        ...(functionServing(route).checkpointKey === undefined
          ? {}
          : { CHECKPOINT_KEY_ARN: { 'Fn::GetAtt': [logicalId(stack.checkpointKey.key), 'Arn'] } }),
        ...(route.id === 'GetOpenApi'
          ? {
              ...(stack.auth === undefined ? {} : { JWT_ISSUER: { 'Fn::GetAtt': [logicalId(stack.auth.userPool), 'ProviderURL'] } }),
              PUBLIC_URL: {
                'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.cdn?.distribution ?? fail()), 'DomainName'] }]],
              },
            }
          : {}),
      });
    });

    it('logs to its own log group kept for one month', () => {
      const config = fn().Properties.LoggingConfig as { LogGroup: { Ref: string } };
      const logGroup = resource('AWS::Logs::LogGroup', config.LogGroup.Ref);
      expect(logGroup.Properties.RetentionInDays).toBe(30);
    });

    it('is bundled from its own entry as ESM with the require shim and a source map', () => {
      const metadata = fn().Metadata as Record<string, string>;
      const assetDir = join(outdir, metadata['aws:asset:path'] ?? 'missing');
      const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(code.startsWith(esmRequireShim)).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      const mapFile = readFileSync(join(assetDir, 'index.mjs.map'), 'utf8');
      const { sources } = JSON.parse(mapFile) as { sources: string[] };
      expect(sources.some((source) => source.endsWith(functionServing(route).entry))).toBe(true);
    });

    // bench/bundles.bench.ts and bundle-sizes.ts build with esbuildOptionsOf: the budget is judged on this very bundle.
    it('is byte for byte the bundle the bench measures', async () => {
      const metadata = fn().Metadata as Record<string, string>;
      const deployed = readFileSync(join(outdir, metadata['aws:asset:path'] ?? 'missing', 'index.mjs'));
      const measured = await build({
        ...esbuildOptionsOf(),
        absWorkingDir: repoRoot,
        entryPoints: [functionServing(route).entry],
        outfile: 'index.mjs',
        write: false,
        logLevel: 'silent',
      });
      const code = measured.outputFiles.find((file) => file.path.endsWith('index.mjs'));
      expect(code?.contents.byteLength).toBe(deployed.byteLength);
      expect(Buffer.from(code?.contents ?? []).equals(deployed)).toBe(true);
    }, 30_000);
  });
});

describe('the status page', () => {
  const pageAsset = () =>
    join(
      outdir,
      (resource('AWS::Lambda::Function', logicalId(stack.page)).Metadata as Record<string, string>)['aws:asset:path'] ?? 'missing',
    );

  // Its table access (none) is checked with every other function's in iam.infra.spec.ts.
  it('is one function with the shared defaults', () => {
    expect(resource('AWS::Lambda::Function', logicalId(stack.page)).Properties).toMatchObject({
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Description: functionServing(statusPageRoute).description,
    });
  });

  it('carries the files of web/ in its asset, byte for byte', () => {
    for (const file of readdirSync(join(repoRoot, 'web'))) {
      expect(readFileSync(join(pageAsset(), 'web', file), 'utf8'), file).toBe(readFileSync(join(repoRoot, 'web', file), 'utf8'));
    }
  });

  it('serves them from the bundle, as the Lambda runtime would load it', () => {
    // A fresh Node process imports the built index.mjs and calls its handler with payload v2 events.
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(join(pageAsset(), 'index.mjs')).href)});
      const page = await handler({ routeKey: 'GET /', pathParameters: undefined });
      const style = await handler({ routeKey: 'GET /web/{file}', pathParameters: { file: 'style.css' } });
      const climb = await handler({ routeKey: 'GET /web/{file}', pathParameters: { file: '..%2Fpackage.json' } });
      console.log(JSON.stringify({ page, style, climb }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    const { page, style, climb } = JSON.parse(output) as Record<
      string,
      { statusCode: number; headers: Record<string, string>; body: string }
    >;
    expect(page).toMatchObject({
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: readFileSync(join(repoRoot, 'web', 'index.html'), 'utf8'),
    });
    expect(page!.headers['content-security-policy']).toContain("default-src 'none'");
    expect(style).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/css; charset=utf-8' } });
    expect(climb).toMatchObject({ statusCode: 404, headers: { 'content-type': 'application/problem+json' } });
  });
});

describe('log groups', () => {
  it('every log group in the stack has a one-month retention', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Resource[];
    // One per function (routes, jobs, the page, the live updates' two) plus the API's and the WebSocket API's access logs.
    expect(groups).toHaveLength(functionSpecs.length + [stack.live.routes, stack.live.fanout].length + 2);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });
});
