import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageRoutes, requiredScope, routeTable } from '../../functions/http/routes.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

/**
 * cdk-nag's AWS Solutions pack (v3: a CDK policy-validation plugin) over the whole stack,
 * in each deployment setting. A violation makes synthesis throw; what is acknowledged is
 * acknowledged in lib/ next to the resource, with a reason, and listed here on purpose:
 * a new acknowledgment must be added to this list by someone who read it.
 */
const settings = {
  default: {},
  'private reads': { readsPublic: false },
  'external issuer': { jwtIssuer: 'https://issuer.example', jwtAudience: 'talks-api' },
  'no CDN': { cdn: 'false' },
} as const;

let outRoot: string;
const synthesized = new Map<string, { stack: TalksStatusStack; template: Template; report: unknown }>();

beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'talks-nag-'));
  for (const [name, context] of Object.entries(settings)) {
    const outdir = join(outRoot, name.replace(/\W/g, '-'));
    // Bundling skipped: the checks read the template, not the code.
    const app = projectApp({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
    const stack = new TalksStatusStack(app, 'TalksStatus');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    const report: unknown = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    synthesized.set(name, { stack, template: Template.fromStack(stack), report });
  }
}, 180_000);
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

/** Every acknowledgment recorded on any construct of the stack, with where it is. */
function acknowledgments(stack: Stack): { id: string; reason: string; path: string }[] {
  const all: IConstruct[] = stack.node.findAll();
  return all.flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      // Recorded as { "Annotation::<rule id>": reason }.
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([key, reason]) => ({ id: key.replace(/^Annotation::/, ''), reason, path: construct.node.path })),
  );
}

describe.each(Object.keys(settings))('AWS Solutions checks, %s', (name) => {
  const get = () =>
    synthesized.get(name) ??
    (() => {
      throw new Error(`not synthesized: ${name}`);
    })();

  it('pass: synthesis with the pack finds no violation', () => {
    expect(get().report).toMatchObject({ pluginReports: [] });
  });

  it('acknowledge only the expected rules, each with a reason of substance', () => {
    const found = acknowledgments(get().stack);
    const expected = new Set([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-APIG4',
      // The feed's dead-letter queues (lib/talks-feed.ts) have no dead-letter queue of their own.
      'AwsSolutions-SQS3',
      // The checkpoint archive's access-log bucket's own access logs (lib/talks-checkpoint-archive.ts).
      'AwsSolutions-S1',
      // The publisher's object prefixes in that bucket (one new object per checkpoint).
      'AwsSolutions-IAM5[Resource::<CheckpointArchiveCheckpointsF4323A62.Arn>/checkpoints/*]',
      'AwsSolutions-IAM5[Resource::<CheckpointArchiveCheckpointsF4323A62.Arn>/latest/*]',
    ]);
    if (name !== 'external issuer') expected.add('AwsSolutions-COG8');
    // The live fan-out's (lib/talks-live.ts): posting to connections made at run time, on its own API and stage only.
    const { stack } = get();
    const liveApi = stack.getLogicalId(stack.live.api.node.defaultChild as CfnElement);
    expected.add(
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${liveApi}>/live/POST/@connections/*]`,
    );
    // The CDN's (lib/talks-cdn.ts): no geo restriction, no WAF yet, the default certificate's
    // TLS floor, a secret rotated by redeploying, and the access-log bucket's own access logs.
    if (name !== 'no CDN')
      for (const id of ['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4', 'AwsSolutions-SMG4', 'AwsSolutions-S1'])
        expected.add(id);
    expect(new Set(found.map((a) => a.id))).toEqual(expected);
    for (const { id, reason } of found) expect(reason.length, id).toBeGreaterThan(80);
  });

  it('leave a route without an authorizer only where requiredScope says it is public', () => {
    const readsPublic = name !== 'private reads';
    const skipped = acknowledgments(get().stack).filter((a) => a.id === 'AwsSolutions-APIG4');
    // The WebSocket API's routes: $connect checks the token itself, with the reads' rules (test/infra/live.infra.spec.ts).
    const live = skipped.filter((a) => a.path.includes('/Live/Api/'));
    expect(live.map((a) => a.path.split('/').at(-1)).sort()).toEqual(
      ['$connect-Route', '$default-Route', '$disconnect-Route', 'ping-Route', 'subscribe-Route', 'unsubscribe-Route'].sort(),
    );
    const unguarded = skipped.filter((a) => !live.includes(a)).map((a) => a.path.split('/').at(-1));
    expect(unguarded.sort()).toEqual(
      [...routeTable, ...pageRoutes]
        .filter((r) => requiredScope(r, readsPublic) === undefined)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('grant no wildcard action to anyone', () => {
    const policies = Object.values(get().template.findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } };
    }[];
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });
});

describe('the Cognito pool for machine clients', () => {
  it('has no weak point left for a user added by hand: strong passwords, required MFA', () => {
    const { template } = synthesized.get('default') ?? { template: undefined };
    template?.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: { MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
      },
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    expect(template).toBeDefined();
  });
});

describe('the check itself', () => {
  it('fails synthesis on a table without point-in-time recovery and a wildcard policy', () => {
    const app = projectApp({ outdir: join(outRoot, 'bad') });
    const stack = new Stack(app, 'Careless');
    new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    new Policy(stack, 'Policy', { roles: [role], statements: [new PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] })] });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // Warnings fail synthesis too: the pack's "passes" means nothing at all was found.
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Action::dynamodb:\*\]/);
    const report = readFileSync(join(outRoot, 'bad', 'validation-report.json'), 'utf8');
    expect(report).toContain('AwsSolutions-DDB3');
    expect(report).toContain('AwsSolutions-IAM5[Action::dynamodb:*]');
  });
});
