import { runtimeFromEnv } from '../composition/runtime.js';
import { listTalksController } from '../controllers/list-talks-controller.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = listTalksController(runtimeFromEnv());
