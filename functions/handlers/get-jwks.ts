import { runtimeWithKmsFromEnv } from '../composition/kms-runtime.js';
import { getJwksController } from '../controllers/get-jwks-controller.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = getJwksController(runtimeWithKmsFromEnv());
