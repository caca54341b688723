import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct, Node } from 'constructs';
import { parseCorsOrigins } from '../functions/http/cors-policy.js';
import { originSecretEnvVar, publicUrlEnvVar } from '../functions/http/origin-settings.js';
import { allRoutes, getOpenApiRoute } from '../functions/http/routes.js';
import { functionServing, functionSpecs, jobSpecs } from './function-specs.js';
import { TalksAlarms } from './talks-alarms.js';
import { TalksApi } from './talks-api.js';
import { type JwtSettings, TalksAuth } from './talks-auth.js';
import { TalksCdn } from './talks-cdn.js';
import { TalksCheckpointArchive } from './talks-checkpoint-archive.js';
import { TalksCheckpointKey } from './talks-checkpoint-key.js';
import { TalksFeed } from './talks-feed.js';
import { TalksFunction } from './talks-function.js';
import { TalksLive } from './talks-live.js';
import { TalksTables } from './talks-tables.js';

/** Deployment settings, read from CDK context (`cdk deploy -c readsPublic=false`). */
export interface TalksSettings {
  readonly readsPublic: boolean;
  /** An external identity provider; when absent the stack creates a Cognito pool. */
  readonly jwt: JwtSettings | undefined;
  /** Browser origins allowed to call the API (`-c corsOrigins=https://a.example,https://b.example`). */
  readonly corsOrigins: string[];
  /** Subscribed to the alarm topic (`-c alarmEmail=ops@example.org`); none when absent. */
  readonly alarmEmail?: string;
  /** CloudFront in front of the API, on unless `-c cdn=false`. */
  readonly cdn: boolean;
  /** Checkpoints are published at least this often (`-c publishIntervalMinutes=5`). */
  readonly publishIntervalMinutes: number;
  /** Each published checkpoint is locked this long, in compliance mode (`-c checkpointRetentionDays=365`). */
  readonly checkpointRetentionDays: number;
  /**
   * Which KMS key signs (`-c checkpointKeyGeneration=2`, 1 by default): raising it is a key
   * rotation, the stack creates a new key and the old one, retained, stays in KMS.
   */
  readonly checkpointKeyGeneration: number;
  /**
   * The retired keys' ARNs (`-c retiredCheckpointKeyArns=arn:...,arn:...`): their public keys
   * stay in the JWKS, so the checkpoints they signed keep verifying. Nothing signs with them.
   */
  readonly retiredCheckpointKeyArns: string[];
}

const kmsKeyArn = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

function contextKeyArns(node: Node, key: string): string[] {
  const arns = (contextString(node, key) ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter((arn) => arn !== '');
  for (const arn of arns)
    if (!kmsKeyArn.test(arn))
      throw new Error(`Context "${key}" must list KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>), got ${JSON.stringify(arn)}`);
  return arns;
}

function contextPositiveInt(node: Node, key: string, fallback: number): number {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Context "${key}" must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

// `-c key=value` arrives as a string, cdk.json and App({ context }) as JSON values.
function contextBoolean(node: Node, key: string, fallback: boolean): boolean {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context "${key}" must be true or false, got ${JSON.stringify(value)}`);
}

function contextString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`Context "${key}" must be a non-empty string`);
  }
  return value.trim();
}

export function readSettings(node: Node): TalksSettings {
  const readsPublic = contextBoolean(node, 'readsPublic', true);
  const cdn = contextBoolean(node, 'cdn', true);
  let corsOrigins: string[];
  try {
    corsOrigins = parseCorsOrigins(contextString(node, 'corsOrigins'));
  } catch (error) {
    throw new Error(`Context "corsOrigins": ${(error as Error).message}`);
  }
  const publishing = {
    publishIntervalMinutes: contextPositiveInt(node, 'publishIntervalMinutes', 5),
    checkpointRetentionDays: contextPositiveInt(node, 'checkpointRetentionDays', 365),
    checkpointKeyGeneration: contextPositiveInt(node, 'checkpointKeyGeneration', 1),
    retiredCheckpointKeyArns: contextKeyArns(node, 'retiredCheckpointKeyArns'),
  };
  const alarmEmail = contextString(node, 'alarmEmail');
  // A typo would create a subscription nobody can confirm: refuse it at synthesis instead.
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) {
    throw new Error(`Context "alarmEmail" must be an email address, got ${JSON.stringify(alarmEmail)}`);
  }
  const optional = { ...publishing, ...(alarmEmail === undefined ? {} : { alarmEmail }) };
  const issuer = contextString(node, 'jwtIssuer');
  // Several audiences are given comma-separated: `-c jwtAudience=clientA,clientB`.
  const audience = contextString(node, 'jwtAudience')
    ?.split(',')
    .map((s) => s.trim());
  if (issuer === undefined && audience === undefined) return { readsPublic, jwt: undefined, corsOrigins, cdn, ...optional };
  // Half a configuration would silently fall back to Cognito; refuse it instead.
  if (issuer === undefined || audience === undefined) {
    throw new Error('Context "jwtIssuer" and "jwtAudience" must be given together');
  }
  return { readsPublic, jwt: { issuer, audience }, corsOrigins, cdn, ...optional };
}

/** The whole deployment: both tables, one function per route, the HTTP API and its status page. */
export class TalksStatusStack extends Stack {
  public readonly settings: TalksSettings;
  public readonly tables: TalksTables;
  /** Every function, keyed by its id (an API route's function has the route's id). */
  public readonly functions: ReadonlyMap<string, TalksFunction>;
  /** Functions invoked directly (the rebuild), keyed by job id. */
  public readonly jobs: ReadonlyMap<string, TalksFunction>;
  /** The status page's function, serving web/ at the API's `/`. */
  public readonly page: TalksFunction;
  public readonly api: TalksApi;
  /** Present unless `-c cdn=false`. */
  public readonly cdn?: TalksCdn;
  /** Present only when no external issuer is configured. */
  public readonly auth?: TalksAuth;
  /** Alarms on the API, the functions and the tables, their SNS topic and the dashboard. */
  public readonly alarms: TalksAlarms;
  /** The change feed: the stream's consumer, the EventBridge bus, the webhook queues. */
  public readonly feed: TalksFeed;
  /** Live updates: the WebSocket API, its connections table and the fan-out (lib/talks-live.ts). */
  public readonly live: TalksLive;
  /** The KMS key that signs checkpoints. */
  public readonly checkpointKey: TalksCheckpointKey;
  /** The Object Lock bucket checkpoints are published to, and its schedule. */
  public readonly checkpointArchive: TalksCheckpointArchive;

  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.settings = readSettings(this.node);
    const { readsPublic } = this.settings;

    this.tables = new TalksTables(this, 'Tables');
    this.checkpointKey = new TalksCheckpointKey(this, 'Checkpoints', { generation: this.settings.checkpointKeyGeneration });
    const checkpointKey = this.checkpointKey.key;
    const { retiredCheckpointKeyArns } = this.settings;
    const functions = new Map<string, TalksFunction>(
      functionSpecs.map((spec) => [
        spec.id,
        new TalksFunction(this, spec.id, { spec, tables: this.tables, readsPublic, checkpointKey, retiredCheckpointKeyArns }),
      ]),
    );
    this.functions = functions;
    const byId = (id: string) => {
      const fn = functions.get(id);
      if (fn === undefined) throw new Error(`No function ${id}`);
      return fn;
    };
    this.jobs = new Map(jobSpecs.map((job) => [job.id, byId(job.id)]));
    for (const [id, job] of this.jobs) new CfnOutput(this, `${id}FunctionName`, { value: job.functionName });
    this.page = byId('StatusPage');
    // Every route of the contract, each to the one function whose spec serves it.
    const endpoints = allRoutes.map((route) => ({ route, handler: byId(functionServing(route).id) }));

    let jwt = this.settings.jwt;
    if (jwt === undefined) {
      this.auth = new TalksAuth(this, 'Auth');
      jwt = this.auth.jwt;
      new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
      new CfnOutput(this, 'ClientId', { value: this.auth.client.userPoolClientId });
      new CfnOutput(this, 'TokenUrl', { value: this.auth.tokenUrl });
    }
    // The OpenAPI document names the issuer (its OIDC discovery document) clients get tokens from.
    this.functions.get('GetOpenApi')?.addEnvironment('JWT_ISSUER', jwt.issuer);
    this.api = new TalksApi(this, 'Api', {
      endpoints,
      readsPublic,
      jwt,
      corsOrigins: this.settings.corsOrigins,
    });
    this.alarms = new TalksAlarms(this, 'Alarms', {
      api: this.api.httpApi,
      functions,
      tables: this.tables,
      ...(this.settings.alarmEmail === undefined ? {} : { alarmEmail: this.settings.alarmEmail }),
    });
    this.feed = new TalksFeed(this, 'Feed', {
      consumer: byId('FeedConsumer'),
      dispatcher: byId('WebhookDispatcher'),
      tables: this.tables,
      topic: this.alarms.topic,
    });
    new CfnOutput(this, 'EventBusName', { value: this.feed.bus.eventBusName, description: 'Rules on this bus get every stored event' });
    this.checkpointArchive = new TalksCheckpointArchive(this, 'CheckpointArchive', {
      publisher: byId('PublishCheckpoints'),
      publishIntervalMinutes: this.settings.publishIntervalMinutes,
      retentionDays: this.settings.checkpointRetentionDays,
    });
    new CfnOutput(this, 'CheckpointKeyArn', { value: checkpointKey.keyArn, description: 'The KMS key that signs checkpoints' });
    new CfnOutput(this, 'CheckpointBucketName', {
      value: this.checkpointArchive.bucket.bucketName,
      description: 'Where checkpoints are published',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Subscribe here to receive the alarms' });
    this.live = new TalksLive(this, 'Live', { tables: this.tables, readsPublic, jwt, alarmTopic: this.alarms.topic });
    // The page connects to it (its URL in the page and in the page's CSP connect-src).
    this.page.addEnvironment('LIVE_URL', this.live.url);
    // The one consumer of the stream feeds the live updates too (functions/composition/feed-sinks.ts).
    this.live.feedConsumer(byId('FeedConsumer'));
    new CfnOutput(this, 'LiveUrl', { value: this.live.url, description: 'Live updates: the WebSocket API (README, "Live updates")' });
    if (!this.settings.cdn) {
      new CfnOutput(this, 'ApiUrl', { value: this.api.url });
      new CfnOutput(this, 'StatusPageUrl', { value: this.api.url, description: 'The status page (GET /), served by the API itself' });
      return;
    }
    this.cdn = new TalksCdn(this, 'Cdn', { httpApi: this.api.httpApi, readsPublic, corsOrigins: this.settings.corsOrigins });
    // Every function behind the API refuses what did not come through the CDN; the jobs are
    // invoked directly and need no secret.
    const secret = this.cdn.originSecret.secretValue.unsafeUnwrap();
    for (const [id, fn] of functions) if (!this.jobs.has(id)) fn.addEnvironment(originSecretEnvVar, secret);
    // The OpenAPI document names the address clients are to call: the distribution's.
    byId(functionServing(getOpenApiRoute).id).addEnvironment(publicUrlEnvVar, `https://${this.cdn.distribution.distributionDomainName}`);
    new CfnOutput(this, 'ApiUrl', { value: this.cdn.url, description: 'The API, through CloudFront' });
    new CfnOutput(this, 'StatusPageUrl', { value: this.cdn.url, description: 'The status page (GET /), through CloudFront' });
    new CfnOutput(this, 'DistributionUrl', { value: this.cdn.url, description: 'The CloudFront distribution in front of the API' });
    new CfnOutput(this, 'OriginUrl', {
      value: this.api.url,
      description: 'The HTTP API behind CloudFront: it refuses requests without the CDN secret header',
    });
  }
}
