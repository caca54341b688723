import { runtimeFromEnv } from '../composition/runtime.js';
import { getCheckpointController } from '../controllers/get-checkpoint-controller.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = getCheckpointController(runtimeFromEnv());
