import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionSpec, functionSpecs } from '../../lib/function-specs.js';

const specs: readonly FunctionSpec[] = functionSpecs;

import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

/** The checkpoint key as synthesized (bundling skipped: only the template is read). */
let stack: TalksStatusStack;
let template: Template;

beforeAll(() => {
  stack = new TalksStatusStack(projectApp({ context: { 'aws:cdk:bundling-stacks': [] } }), 'KeyTest');
  template = Template.fromStack(stack);
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** Every statement of every role policy, with the role it belongs to. */
function roleStatements(): { roles: string; statement: Statement }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({
      roles: JSON.stringify(policy.Properties.Roles),
      statement,
    })),
  );
}

describe('the checkpoint key', () => {
  it('is an asymmetric P-256 signing key, retained with the stack gone', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // The other key of the stack (the alarm topic's) is symmetric and signs nothing.
    expect(Object.keys(template.findResources('AWS::KMS::Key', { Properties: { KeyUsage: 'SIGN_VERIFY' } }))).toHaveLength(1);
  });

  it('lets only the signing functions sign, and no role decrypt, export or administer it', () => {
    const keyId = stack.getLogicalId(stack.checkpointKey.key.node.defaultChild as never);
    const onKey = roleStatements().filter(({ statement }) => JSON.stringify(statement.Resource).includes(`"${keyId}"`));
    const actions = onKey.flatMap(({ statement }) => list(statement.Action));
    expect(new Set(actions)).toEqual(new Set(['kms:Sign', 'kms:GetPublicKey']));
    const allActions = roleStatements().flatMap(({ statement }) => list(statement.Action));
    for (const forbidden of ['kms:Decrypt', 'kms:*', 'kms:GenerateDataKey', 'kms:ReEncrypt*', 'kms:CreateGrant', 'kms:PutKeyPolicy', '*'])
      expect(allActions).not.toContain(forbidden);
    const signers = specs.filter((spec) => spec.checkpointKey === 'sign').map((spec) => spec.id);
    expect(signers.sort()).toEqual(['AppendEvents', 'RebuildStatus']);
    const signingRoles = onKey.filter(({ statement }) => list(statement.Action).includes('kms:Sign')).map(({ roles }) => roles);
    expect(signingRoles).toHaveLength(signers.length);
    for (const id of signers) {
      const role = stack.functions.get(id)?.role;
      expect(signingRoles.some((r) => r.includes(stack.getLogicalId(role?.node.defaultChild as never)))).toBe(true);
    }
  });

  it('is named to the functions that use it, and only to them', () => {
    for (const spec of specs) {
      const fn = stack.functions.get(spec.id);
      const resource = Object.values(template.findResources('AWS::Lambda::Function')).find(
        (r) => r.Properties.Description === fn?.spec.description,
      );
      const variables = (resource?.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      expect('CHECKPOINT_KEY_ARN' in variables, spec.id).toBe(spec.checkpointKey !== undefined);
    }
  });
});

describe('the checkpoint archive', () => {
  const bucketId = () => stack.getLogicalId(stack.checkpointArchive.bucket.node.defaultChild as never);

  it('is versioned, locks every object in compliance mode for the retention setting, refuses plain HTTP, and is retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
      DeletionPolicy: 'Retain',
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter((p) =>
      JSON.stringify(p.Properties.Bucket).includes(bucketId()),
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });

  it('lets only the publisher put and read checkpoints, and no role delete them or change their retention', () => {
    const onBucket = roleStatements().filter(({ statement }) => JSON.stringify(statement.Resource).includes(`"${bucketId()}"`));
    expect(new Set(onBucket.flatMap(({ statement }) => list(statement.Action)))).toEqual(new Set(['s3:PutObject', 's3:GetObject']));
    const publisherRole = stack.getLogicalId(stack.functions.get('PublishCheckpoints')?.role?.node.defaultChild as never);
    for (const { roles } of onBucket) expect(roles).toContain(publisherRole);
    const all = roleStatements().flatMap(({ statement }) => list(statement.Action));
    for (const action of all) expect(action).not.toMatch(/^s3:(Delete|PutObjectRetention|PutBucket|BypassGovernance|\*)/);
  });

  it('runs the publisher on the schedule the setting gives, and alarms when the witness check refuses a checkpoint', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CheckpointWitnessFailures', Threshold: 1 });
    const other = new TalksStatusStack(
      projectApp({ context: { 'aws:cdk:bundling-stacks': [], publishIntervalMinutes: '15', checkpointRetentionDays: '3650' } }),
      'Settings',
    );
    const t = Template.fromStack(other);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } },
    });
  });
});
