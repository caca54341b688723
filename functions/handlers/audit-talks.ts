import { runtimeFromEnv } from '../commons/runtime.js';
import { auditTalksRoute } from '../use-cases/audit-talks-route.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = auditTalksRoute(runtimeFromEnv());
