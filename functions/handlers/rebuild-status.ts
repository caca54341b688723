import { runtimeWithKmsFromEnv } from '../composition/kms-runtime.js';
import { rebuildStatusJob } from '../jobs/rebuild-status-job.js';

/** Lambda entry of the rebuild job: the runtime is built once per container. */
export const handler = rebuildStatusJob(runtimeWithKmsFromEnv());
