import { runtimeFromEnv } from '../composition/runtime.js';
import { getConsistencyProofController } from '../controllers/get-proof-controllers.js';

/** Lambda entry: the runtime (DynamoDB client, configuration) is built once per container. */
export const handler = getConsistencyProofController(runtimeFromEnv());
