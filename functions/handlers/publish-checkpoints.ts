import { S3Client } from '@aws-sdk/client-s3';
import { runtimeWithKmsFromEnv } from '../composition/kms-runtime.js';
import { requiredEnv } from '../composition/runtime.js';
import { publishCheckpoints } from '../publish/publish-checkpoints.js';
import { s3Archive } from '../publish/s3-archive.js';

const runtime = runtimeWithKmsFromEnv();
const archive = s3Archive(new S3Client({ maxAttempts: 3 }), requiredEnv(process.env, 'CHECKPOINT_BUCKET'));

/** Scheduled (lib/talks-checkpoint-archive.ts): publishes every talks' new checkpoint, witness-checked. */
export const handler = async () => {
  const report = await publishCheckpoints(runtime.store, archive, runtime.log);
  runtime.log({
    level: report.refused.length > 0 ? 'error' : 'info',
    message: `checkpoints published: ${report.published.length}, unchanged: ${report.unchanged}, refused: ${report.refused.length}`,
  });
  return report;
};
