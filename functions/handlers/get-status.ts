import { runtimeFromEnv } from '../commons/runtime.js';
import { getStatusRoute } from '../use-cases/get-status-route.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = getStatusRoute(runtimeFromEnv());
