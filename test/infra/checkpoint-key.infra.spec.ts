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
