import { runtimeFromEnv } from '../commons/runtime.js';
import { appendEventsRoute } from '../use-cases/append-events-route.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = appendEventsRoute(runtimeFromEnv());
