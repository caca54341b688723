import { runtimeWithKmsFromEnv } from '../composition/kms-runtime.js';
import { appendEventsController } from '../controllers/append-events-controller.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = appendEventsController(runtimeWithKmsFromEnv());
