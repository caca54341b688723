import { RemovalPolicy } from 'aws-cdk-lib';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The key that signs checkpoints (issue 12): asymmetric P-256 in KMS, for signing only, so
 * the private key never leaves KMS and no code of ours can leak it. Retained: checkpoints
 * it signed must stay verifiable after the stack is gone (its public key is published in
 * the JWKS, and an auditor keeps a copy). Which functions may use it, and how, is each
 * function spec's `checkpointKey`: only the signers get kms:Sign, and no role gets
 * kms:Decrypt (a signing key decrypts nothing) or any way to export it.
 */
export interface TalksCheckpointKeyProps {
  /**
   * Which key: generation 1 is the first (logical id `Key`, as before rotations existed), n
   * a new one (`Key<n>`). A new logical id makes CloudFormation create a new key and drop the
   * old one from the stack, which RETAIN keeps in KMS: its ARN goes to
   * `retiredCheckpointKeyArns` so that the JWKS keeps its public key.
   */
  readonly generation?: number;
}

export class TalksCheckpointKey extends Construct {
  public readonly key: Key;

  public constructor(scope: Construct, id: string, props: TalksCheckpointKeyProps = {}) {
    super(scope, id);
    const generation = props.generation ?? 1;
    this.key = new Key(this, generation === 1 ? 'Key' : `Key${generation}`, {
      description: 'Signs the talks checkpoints (ES256 JWS over each submission head)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      // Rotation is for symmetric keys; a new signing key is a new kid, the old stays published.
      enableKeyRotation: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
