import { runtimeFromEnv } from '../composition/runtime.js';
import { getHistoryController } from '../controllers/get-history-controller.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = getHistoryController(runtimeFromEnv());
