import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../controllers/runtime.js';
import type { Log } from '../http/http-settings.js';
import { type CheckpointKeys, noCheckpointKeys } from '../signing/checkpoint-keys.js';
import { AppendTurns } from '../store/append-turns.js';
import { eventsTable, stateTable } from '../store/table-definitions.js';
import { httpSettingsFromEnv, jsonLog } from './http-settings.js';

export function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  // Fail at init, not on the first request: a misconfigured function never serves.
  if (value === undefined || value === '') throw new Error(`Missing environment variable ${name}`);
  return value;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

/**
 * The SDK's retries are deliberate: 3 attempts (standard mode, with its own backoff and
 * throttling retries) and short timeouts, so a Lambda answers 503 within its 10 s budget
 * instead of hanging when DynamoDB is unreachable: 3 x 2 s plus under 1 s of backoff.
 * `throwOnRequestTimeout` is what makes requestTimeout abort: without it the SDK's HTTP
 * handler only logs a warning and a DynamoDB that never answers hangs the function until
 * Lambda kills it (test/trust/outage.e2e.spec.ts proves the bound).
 */
export const dynamoClientSettings = {
  maxAttempts: 3,
  connectionTimeout: 1_000,
  requestTimeout: 2_000,
} as const;

/** Signs requests to DynamoDB Local, whose access key picks the database (bin/local/dynamodb-local.ts). */
export interface EndpointCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * With an endpoint (DynamoDB Local) and credentials, signs with those; with an endpoint and
 * none, the SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) provides them.
 */
export function createDocumentClient(
  options: { endpoint?: string; region?: string; credentials?: EndpointCredentials } = {},
): DynamoDBDocumentClient {
  const local = options.endpoint !== undefined;
  const client = new DynamoDBClient({
    maxAttempts: dynamoClientSettings.maxAttempts,
    requestHandler: {
      connectionTimeout: dynamoClientSettings.connectionTimeout,
      requestTimeout: dynamoClientSettings.requestTimeout,
      throwOnRequestTimeout: true,
    },
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(local
      ? {
          endpoint: options.endpoint,
          region: options.region ?? 'local',
          // A copy: the SDK writes its bookkeeping into the object it is given.
          ...(options.credentials === undefined
            ? {}
            : { credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey } }),
        }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export interface RuntimeOptions {
  readonly tables: { readonly events: string; readonly state: string };
  /** DynamoDB Local's address; AWS's regional endpoint when undefined. */
  readonly endpoint?: string;
  /** DynamoDB Local's credentials (its access key picks the database). */
  readonly credentials?: EndpointCredentials;
  readonly readsArePublic?: boolean;
  /** The issuer the JWT authorizer trusts, named in the OpenAPI document. */
  readonly jwtIssuer?: string;
  readonly snapshotInterval?: number;
  readonly maxAppendAttempts?: number;
  /** One process serving many writers (the local server): appends to one talks take turns. */
  readonly appendTurns?: boolean;
  readonly log?: Log;
  /** The checkpoint key: the local key file, or KMS (from the environment). */
  readonly checkpoints?: CheckpointKeys;
}

/**
 * The composition root: the one place a runtime (DynamoDB client, tables, settings) is
 * built. Lambda entries build theirs from the environment the stack sets, once per
 * container; the local server builds one from its options, so it needs no environment.
 */
export function runtimeFrom(options: RuntimeOptions): Runtime {
  return {
    store: {
      doc: createDocumentClient(
        options.endpoint === undefined
          ? {}
          : { endpoint: options.endpoint, ...(options.credentials === undefined ? {} : { credentials: options.credentials }) },
      ),
      tables: { events: options.tables.events, state: options.tables.state },
      snapshotInterval: options.snapshotInterval ?? 50,
      maxAppendAttempts: options.maxAppendAttempts ?? 40,
      now: () => new Date(),
      newId: randomUUID,
      ...(options.appendTurns === true ? { appendTurns: new AppendTurns() } : {}),
      checkpoints: options.checkpoints ?? noCheckpointKeys('this runtime was built without a checkpoint key'),
    },
    readsArePublic: options.readsArePublic ?? true,
    ...(options.jwtIssuer === undefined ? {} : { jwtIssuer: options.jwtIssuer }),
    now: () => new Date(),
    log: options.log ?? jsonLog,
  };
}

/**
 * Built from the environment the stack sets. The checkpoint key comes from `checkpointKeysFrom`:
 * the functions given the key pass the KMS loader (kms-runtime.ts), the others bundle no KMS client.
 */
export function runtimeFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  log: Log = jsonLog,
  checkpointKeysFrom: (env: NodeJS.ProcessEnv) => CheckpointKeys = keylessFromEnv,
): Runtime {
  const endpoint = env.DYNAMODB_ENDPOINT;
  return runtimeFrom({
    tables: { events: requiredEnv(env, eventsTable.envVar), state: requiredEnv(env, stateTable.envVar) },
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    ...httpSettingsFromEnv(env, log),
    snapshotInterval: positiveInt(env, 'SNAPSHOT_INTERVAL', 50),
    maxAppendAttempts: positiveInt(env, 'MAX_APPEND_ATTEMPTS', 40),
    checkpoints: checkpointKeysFrom(env),
    log,
  });
}

/** The stack gives the key's ARN only to the functions that sign or publish the key (lib/talks-function.ts). */
export const checkpointKeyEnv = 'CHECKPOINT_KEY_ARN';

/**
 * A function deployed without the key: any use says so rather than write an unsigned head.
 * One given the key's ARN whose entry does not load KMS is mis-wired, and fails at init.
 */
export function keylessFromEnv(env: NodeJS.ProcessEnv): CheckpointKeys {
  const keyArn = env[checkpointKeyEnv];
  if (keyArn !== undefined && keyArn !== '')
    throw new Error(`${checkpointKeyEnv} is set but this function's entry does not load the KMS signer (use runtimeWithKmsFromEnv)`);
  return noCheckpointKeys(`this function is deployed without ${checkpointKeyEnv}`);
}

/**
 * CHECKPOINT_RETIRED_KEY_ARNS: the KMS keys that signed before a rotation (comma-separated;
 * the stack's `retiredCheckpointKeyArns`). Only their public keys are read, for the JWKS.
 */
export const retiredKeyArns = (env: NodeJS.ProcessEnv): string[] =>
  (env.CHECKPOINT_RETIRED_KEY_ARNS ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter((arn) => arn !== '');
