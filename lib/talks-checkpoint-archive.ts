import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { TalksFunction } from './talks-function.js';

export interface TalksCheckpointArchiveProps {
  /** The job that publishes (functions/handlers/publish-checkpoints.ts). */
  readonly publisher: TalksFunction;
  /** How often it runs: the bound on the publication delay. */
  readonly publishIntervalMinutes: number;
  /** How long each published object is locked in compliance mode (no one can delete it, not even the account root). */
  readonly retentionDays: number;
}

/**
 * Where checkpoints are published outside the tables (issue 12): an S3 bucket with Object
 * Lock in compliance mode by default on every object version, versioning (Object Lock
 * requires it), TLS only, public access blocked, retained with the stack gone. The
 * publisher may only put objects and read them back: no delete, no retention change, no
 * bucket policy, so the service cannot rewrite what it published.
 */
export class TalksCheckpointArchive extends Construct {
  public readonly bucket: Bucket;

  public constructor(scope: Construct, id: string, props: TalksCheckpointArchiveProps) {
    super(scope, id);
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket holds the checkpoint archive’s server access logs themselves; logging its own access to another bucket would only move the question one bucket further. Public access is blocked and TLS enforced.',
    });
    this.bucket = new Bucket(this, 'Checkpoints', {
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'checkpoints/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const { publisher } = props;
    publisher.addEnvironment('CHECKPOINT_BUCKET', this.bucket.bucketName);
    // Exact actions on exact prefixes; never DeleteObject*, PutObjectRetention, PutBucket*, BypassGovernanceRetention.
    publisher.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.bucket.arnForObjects('checkpoints/*'), this.bucket.arnForObjects('latest/*')],
      }),
    );
    for (const prefix of ['checkpoints', 'latest'])
      Validations.of(publisher).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<CheckpointArchiveCheckpointsF4323A62.Arn>/${prefix}/*]`,
        reason:
          'The publisher writes one new object per checkpoint under this prefix, whose keys (talks id, tree size) are not known at deployment; only s3:PutObject and s3:GetObject are granted, never delete or retention changes, and Object Lock in compliance mode keeps every version.',
      });
    new Rule(this, 'Schedule', {
      description: 'Publishes new checkpoints to the Object Lock bucket',
      schedule: Schedule.rate(Duration.minutes(props.publishIntervalMinutes)),
      targets: [new LambdaFunction(publisher, { retryAttempts: 2 })],
    });
  }
}
