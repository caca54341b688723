import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionBundling } from './function-bundling.js';
import type { FunctionSpec, TableAccess } from './function-specs.js';
import type { TalksTable, TalksTableSet } from './talks-tables.js';

/** Entries are relative to the repository root, whatever the caller's cwd. */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const readActions = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];

/**
 * Exact IAM actions per access level. Writes are puts only: the log is immutable, and the
 * status item is replaced by a conditional put inside the append transaction, so no role
 * ever needs UpdateItem, DeleteItem or BatchWriteItem (which can delete).
 */
export const tableActions: Readonly<Record<TableAccess, readonly string[]>> = {
  none: [],
  read: readActions,
  scan: [...readActions, 'dynamodb:Scan'],
  scanAppend: ['dynamodb:PutItem', ...readActions, 'dynamodb:Scan'],
  append: ['dynamodb:PutItem', ...readActions],
  readWrite: ['dynamodb:PutItem', ...readActions],
};

export interface TalksFunctionProps {
  /** A route's function (served through the API), a job's (invoked directly) or the page's. */
  readonly spec: FunctionSpec;
  readonly tables: TalksTableSet;
  /** Whether status and history reads are public; the handlers see it as READS_PUBLIC. */
  readonly readsPublic: boolean;
  /** Events between projection snapshots; bounds the events read for time travel. */
  readonly snapshotInterval?: number;
  /** The checkpoint key; given to the functions whose spec names a `checkpointKey` use. */
  readonly checkpointKey?: IKey;
  /** Retired checkpoint keys (ARNs): their public keys only, for the JWKS and the checks. */
  readonly retiredCheckpointKeyArns?: readonly string[];
}

/** Exact KMS actions per use of the checkpoint key: never Decrypt, never anything that exports. */
export const checkpointKeyActions = {
  sign: ['kms:Sign', 'kms:GetPublicKey'],
  publicKey: ['kms:GetPublicKey'],
} as const;

/**
 * One Lambda function per spec, owning every function default so that no function can
 * drift from them: ESM bundle built by the local esbuild, arm64, Node 24, a log group with
 * retention, active tracing, and table access granted exactly as the spec declares.
 */
export class TalksFunction extends NodejsFunction {
  public readonly spec: FunctionSpec;

  public constructor(scope: Construct, id: string, props: TalksFunctionProps) {
    const { spec, tables, readsPublic, snapshotInterval = 50 } = props;
    const files = spec.files;
    super(scope, id, {
      description: spec.description,
      entry: resolve(repoRoot, spec.entry),
      handler: 'handler',
      depsLockFilePath: resolve(repoRoot, 'package-lock.json'),
      // The newest Lambda Node runtime (cdk-nag AwsSolutions-L1); the code also runs on Node 20+.
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      tracing: Tracing.ACTIVE,
      // A log group we own, rather than the deprecated logRetention custom resource.
      logGroup: new LogGroup(scope, `${id}LogGroup`, { retention: RetentionDays.ONE_MONTH }),
      environment: {
        // Stack traces point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        // Every function gets both names: the shared store module resolves its config at
        // init, and a table name grants nothing without the IAM statement below.
        [tables.events.definition.envVar]: tables.events.table.tableName,
        [tables.state.definition.envVar]: tables.state.table.tableName,
        // Only the functions that use the Feed table are told its name.
        ...(spec.tables.feed === undefined || spec.tables.feed === 'none'
          ? {}
          : { [tables.feed.definition.envVar]: tables.feed.table.tableName }),
        READS_PUBLIC: String(readsPublic),
        SNAPSHOT_INTERVAL: String(snapshotInterval),
      },
      bundling: {
        forceDockerBundling: false,
        // ESM, Node 24, minified, SDK bundled, source maps without sources: one statement for the stack and the bench.
        ...functionBundling,
        // Files the handler reads at run time (the status page's) go into the asset beside it.
        ...(files === undefined
          ? {}
          : {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  `cp -R "${resolve(inputDir, files)}" "${resolve(outputDir, files)}"`,
                ],
              },
            }),
      },
    });
    this.spec = spec;
    this.grantTable(spec.tables.events, tables.events);
    this.grantTable(spec.tables.state, tables.state);
    this.grantTable(spec.tables.feed ?? 'none', tables.feed);
    if (spec.checkpointKey !== undefined) {
      if (props.checkpointKey === undefined) throw new Error(`${spec.id} uses the checkpoint key but none was given`);
      this.addEnvironment('CHECKPOINT_KEY_ARN', props.checkpointKey.keyArn);
      this.addToRolePolicy(
        new PolicyStatement({ actions: [...checkpointKeyActions[spec.checkpointKey]], resources: [props.checkpointKey.keyArn] }),
      );
      const retired = props.retiredCheckpointKeyArns ?? [];
      if (retired.length > 0) {
        // A retired key only vouches for what it signed before: its public key, never kms:Sign.
        this.addEnvironment('CHECKPOINT_RETIRED_KEY_ARNS', retired.join(','));
        this.addToRolePolicy(new PolicyStatement({ actions: [...checkpointKeyActions.publicKey], resources: [...retired] }));
      }
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement CDK adds for active tracing has Resource *: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions. Table statements name exact table and index ARNs (test/infra/iam.infra.spec.ts).',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'AWSLambdaBasicExecutionRole holds only logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents, the minimum for a function to write its logs; it is the only managed policy on the role (asserted in test/infra/iam.infra.spec.ts).',
    });
  }

  /** One explicit statement per table; `grant*Data` helpers would add Update/Delete. */
  private grantTable(access: TableAccess, { table, definition }: TalksTable): void {
    const actions = tableActions[access];
    if (actions.length === 0) return;
    // Queries on an index, global or local, are authorized against the index ARN, not the
    // table's: each index is named, so no statement needs a wildcard resource.
    const indexes = [...definition.globalSecondaryIndexes, ...definition.localSecondaryIndexes];
    const resources = [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index.indexName}`)];
    this.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources }));
  }
}
