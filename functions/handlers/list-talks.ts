import { runtimeFromEnv } from '../commons/runtime.js';
import { listTalksRoute } from '../use-cases/list-talks-route.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = listTalksRoute(runtimeFromEnv());
