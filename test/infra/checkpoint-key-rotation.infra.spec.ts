import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type FunctionSpec, functionSpecs } from '../../lib/function-specs.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

/**
 * A checkpoint key rotation as synthesized: `checkpointKeyGeneration` makes a new retained
 * key, `retiredCheckpointKeyArns` keeps the old ones' public keys readable (never kms:Sign)
 * by the functions that publish or check the JWKS.
 */
const specs: readonly FunctionSpec[] = functionSpecs;
const retired = [
  'arn:aws:kms:eu-west-1:111122223333:key/1111aaaa-0000-0000-0000-000000000001',
  'arn:aws:kms:eu-west-1:111122223333:key/mrk-2222bbbb000000000000000000000002',
];
const synth = (context: Record<string, unknown>) => {
  const stack = new TalksStatusStack(projectApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } }), 'RotationTest');
  return { stack, template: Template.fromStack(stack) };
};
type Statement = { Action: string | string[]; Resource: unknown };
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const statements = (template: Template): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const signingKeyIds = (template: Template) =>
  Object.keys(template.findResources('AWS::KMS::Key', { Properties: { KeyUsage: 'SIGN_VERIFY' } }));

describe('a checkpoint key rotation', () => {
  it('keeps the first key under its logical id, and a new generation makes a new retained key', () => {
    const first = synth({});
    const second = synth({ checkpointKeyGeneration: '2' });
    const [firstId] = signingKeyIds(first.template);
    const [secondId] = signingKeyIds(second.template);
    expect(firstId).toMatch(/^CheckpointsKey[0-9A-F]{8}$/);
    expect(secondId).toMatch(/^CheckpointsKey2[0-9A-F]{8}$/);
    expect(secondId).not.toBe(firstId);
    second.template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      DeletionPolicy: 'Retain',
    });
  });

  it('names the retired keys to every function that uses the key, with kms:GetPublicKey only', () => {
    const { stack, template } = synth({ checkpointKeyGeneration: '2', retiredCheckpointKeyArns: retired.join(',') });
    const onRetired = statements(template).filter((s) => retired.some((arn) => JSON.stringify(s.Resource).includes(arn)));
    // CDK merges a publisher's statement on the current key with this one: same action.
    expect(onRetired.length).toBe(specs.filter((s) => s.checkpointKey !== undefined).length);
    for (const s of onRetired) {
      expect(list(s.Action)).toEqual(['kms:GetPublicKey']);
      expect(s.Resource).toEqual(expect.arrayContaining(retired));
    }
    for (const spec of specs) {
      const fn = stack.functions.get(spec.id);
      const resource = Object.values(template.findResources('AWS::Lambda::Function')).find(
        (r) => r.Properties.Description === fn?.spec.description,
      );
      const variables = (resource?.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      expect(variables.CHECKPOINT_RETIRED_KEY_ARNS, spec.id).toBe(spec.checkpointKey === undefined ? undefined : retired.join(','));
    }
  });

  it('adds nothing without retired keys, and refuses what is not a KMS key ARN', () => {
    const { template } = synth({});
    expect(JSON.stringify(template.toJSON())).not.toContain('CHECKPOINT_RETIRED_KEY_ARNS');
    expect(() => synth({ retiredCheckpointKeyArns: 'alias/old-key' })).toThrow(/retiredCheckpointKeyArns.*KMS key ARNs/);
    expect(() => synth({ checkpointKeyGeneration: '0' })).toThrow(/checkpointKeyGeneration/);
  });
});
