import { runtimeFromEnv } from '../commons/runtime.js';
import { getOpenApiRoute } from '../use-cases/get-openapi-route.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = getOpenApiRoute(runtimeFromEnv());
