import { KMSClient } from '@aws-sdk/client-kms';
import type { Runtime } from '../controllers/runtime.js';
import { type CheckpointKeys, checkpointKeys } from '../signing/checkpoint-keys.js';
import { kmsPublicKey, kmsSigner } from '../signing/kms-signer.js';
import { jsonLog } from './http-settings.js';
import { checkpointKeyEnv, dynamoClientSettings, keylessFromEnv, retiredKeyArns, runtimeFromEnv } from './runtime.js';

/**
 * The KMS client lives here, not in runtime.ts, so that only the entries of functions the
 * stack gives the checkpoint key (specs with `checkpointKey`) bundle @aws-sdk/client-kms;
 * the others stay within the bundle budget (test/unit/bundle-modules.unit.spec.ts).
 */
export function kmsCheckpointKeysFromEnv(
  env: NodeJS.ProcessEnv,
  kms: () => Pick<KMSClient, 'send'> = () => new KMSClient({ maxAttempts: dynamoClientSettings.maxAttempts }),
): CheckpointKeys {
  const keyArn = env[checkpointKeyEnv];
  if (keyArn === undefined || keyArn === '') return keylessFromEnv(env);
  const client = kms();
  // The keys that signed before a rotation stay in the JWKS: their checkpoints keep verifying.
  const retired = retiredKeyArns(env);
  return checkpointKeys(
    () => kmsSigner(client, keyArn),
    () => Promise.all(retired.map((arn) => kmsPublicKey(client, arn))),
  );
}

/** runtimeFromEnv for the functions that sign with, or publish, the checkpoint key. */
export const runtimeWithKmsFromEnv = (env: NodeJS.ProcessEnv = process.env): Runtime =>
  runtimeFromEnv(env, jsonLog, (e) => kmsCheckpointKeysFromEnv(e));
