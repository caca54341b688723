import { runtimeFromEnv } from '../composition/runtime.js';
import { getStatusController } from '../controllers/get-status-controller.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = getStatusController(runtimeFromEnv());
