import { runtimeFromEnv } from '../commons/runtime.js';
import { getHistoryRoute } from '../use-cases/get-history-route.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = getHistoryRoute(runtimeFromEnv());
