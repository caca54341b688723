import { runtimeWithKmsFromEnv } from '../composition/kms-runtime.js';
import { auditTalksController } from '../controllers/audit-talks-controller.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = auditTalksController(runtimeWithKmsFromEnv());
