import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltBundles, buildBundles, measuredFunctions } from '../../bench/bundles.bench.js';
import { ownBaselineOf, sdkClientsOf } from '../../bench/sdk-baseline.js';
import { type FunctionSpec, functionSpecs } from '../../lib/function-specs.js';

/**
 * The per-function bundle baselines (bench/sdk-baseline.ts) the bundle budget judges on:
 * derived from each function's own bundle, so they cannot drift from what it carries.
 */
const metafileOf = (inputs: Record<string, number>): Metafile => ({
  inputs: {},
  outputs: {
    'index.mjs': {
      bytes: 1,
      exports: [],
      imports: [],
      entryPoint: 'x.ts',
      inputs: Object.fromEntries(Object.entries(inputs).map(([input, bytesInOutput]) => [input, { bytesInOutput }])),
    },
  },
});

describe('the SDK clients a bundle holds, from its metafile', () => {
  it('reads client classes and commands of every @aws-sdk/client-* and the document client, and skips tree-shaken modules', () => {
    const uses = sdkClientsOf(
      metafileOf({
        'node_modules/@aws-sdk/client-sns/dist-es/SNSClient.js': 900,
        'node_modules/@aws-sdk/client-sns/dist-es/commands/PublishCommand.js': 120,
        'node_modules/@aws-sdk/client-sns/dist-es/commands/SubscribeCommand.js': 0,
        '../../main/node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js': 800,
        '../../main/node_modules/@aws-sdk/client-dynamodb/dist-es/commands/GetItemCommand.js': 100,
        'node_modules/@aws-sdk/lib-dynamodb/dist-es/DynamoDBDocumentClient.js': 300,
        'node_modules/@aws-sdk/lib-dynamodb/dist-es/commands/QueryCommand.js': 90,
        'node_modules/@aws-sdk/lib-dynamodb/dist-es/commands/GetCommand.js': 90,
        'node_modules/@aws-sdk/core/dist-es/index.js': 5000,
        'node_modules/@aws-sdk/nested-clients/dist-es/submodules/sts/STSClient.js': 700,
        'node_modules/@aws-sdk/client-kms/dist-es/KMSClient.js': 0,
        'functions/handlers/x.ts': 400,
      }),
    );
    expect(uses).toEqual([
      { pkg: '@aws-sdk/client-dynamodb', client: 'DynamoDBClient', commands: ['GetItemCommand'] },
      { pkg: '@aws-sdk/client-sns', client: 'SNSClient', commands: ['PublishCommand'] },
      { pkg: '@aws-sdk/lib-dynamodb', client: 'DynamoDBDocumentClient', commands: ['GetCommand', 'QueryCommand'] },
    ]);
    const baseline = ownBaselineOf(uses, []);
    expect(baseline.packages).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/client-sns', '@aws-sdk/lib-dynamodb']);
    // The DynamoDB client is sent through the document client, as ours is; one call per client.
    expect(baseline.calls).toEqual(['DynamoDBDocumentClient.GetCommand', 'SNSClient.PublishCommand']);
    expect(baseline.source).toMatch(/import \{ SNSClient as (\w+) \} from '@aws-sdk\/client-sns';/);
    expect(baseline.source).toMatch(/\.from\(new \w+\(\{\}\)\)/);
    expect(baseline.source).not.toContain('GetItemCommand');
  });

  it('refuses a package it cannot mirror rather than leave it out of the baseline', () => {
    const uses = sdkClientsOf(metafileOf({ 'node_modules/@aws-sdk/client-s3/dist-es/models/errors.js': 300 }));
    expect(uses).toEqual([{ pkg: '@aws-sdk/client-s3', client: undefined, commands: [] }]);
    expect(() => ownBaselineOf(uses, [])).toThrow(/client-s3/);
  });

  it("holds a function without any SDK client to the fallback (the issue's baseline)", () => {
    const fallback = [
      { pkg: '@aws-sdk/client-dynamodb', client: 'DynamoDBClient', commands: ['GetItemCommand'] },
      { pkg: '@aws-sdk/lib-dynamodb', client: 'DynamoDBDocumentClient', commands: ['GetCommand'] },
    ];
    expect(ownBaselineOf([], fallback)).toEqual(ownBaselineOf(fallback, []));
  });
});

describe("each function's own baseline, built with the stack's options", () => {
  let dir: string;
  let built: BuiltBundles;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'talks-sdk-baseline-'));
    built = await buildBundles(dir);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const packages = (b: { sdk: { pkg: string }[] }) => b.sdk.map((u) => u.pkg).sort();
  const baselineOf = (id: string) => {
    const f = built.functions.find((x) => x.id === id)!;
    return built.ownBaselines.find((b) => b.id === f.ownBaseline)!;
  };

  it('covers every function the bench measures, and every baseline bundle holds the packages it was made for', () => {
    expect(built.functions.map((f) => f.id)).toEqual(measuredFunctions().map((f) => f.id));
    expect(built.drift).toEqual([]);
    for (const b of built.ownBaselines) expect(packages(b)).toEqual([...b.packages]);
  });

  it("holds the same SDK client packages as its function (the issue's baseline's when it holds none)", () => {
    const issueBaseline = packages({ sdk: sdkClientsOf(built.baseline.metafile) });
    expect(issueBaseline).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']);
    for (const f of built.functions) {
      const own = packages(baselineOf(f.id));
      expect(own, f.id).toEqual(f.sdk.length > 0 ? packages(f) : issueBaseline);
    }
    // The no-SDK fallback is really used (the page and the OpenAPI document), and the others are not all alike.
    expect(built.functions.filter((f) => f.sdk.length === 0).map((f) => f.id)).toEqual(['GetOpenApi', 'StatusPage']);
    expect(new Set(built.ownBaselines.map((b) => b.packages.join())).size).toBeGreaterThan(3);
  });

  // What the stack grants decides what a function must carry: the checkpoint key means the KMS client.
  it.each(functionSpecs.map((spec: FunctionSpec) => [spec.id, spec.checkpointKey !== undefined] as const))(
    "%s's own baseline carries the KMS client exactly when the stack gives it the checkpoint key (%s)",
    (id, usesKey) => {
      const own = baselineOf(id);
      expect(own.packages.includes('@aws-sdk/client-kms')).toBe(usesKey);
      if (usesKey) expect(own.calls.some((c) => c.startsWith('KMSClient.'))).toBe(true);
    },
  );

  it('sends one command through every client it creates, one of the function bundle’s own', () => {
    for (const f of built.functions.filter((x) => x.sdk.length > 0)) {
      const own = baselineOf(f.id);
      const commandsOf = new Map(f.sdk.map((u) => [u.client, u.commands]));
      for (const call of own.calls) {
        const [client, command] = call.split('.') as [string, string];
        expect(commandsOf.get(client), `${f.id}: ${call}`).toContain(command);
      }
      // Every client but the DynamoDB one, which is sent through the document client.
      expect(own.calls.length).toBe(f.sdk.filter((u) => u.pkg !== '@aws-sdk/client-dynamodb').length);
    }
  });
});
