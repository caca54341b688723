import { httpSettingsFromEnv } from '../composition/http-settings.js';
import { getOpenApiController } from '../controllers/get-openapi-controller.js';

/** Lambda entry: needs no table, so it builds no DynamoDB client (and bundles no SDK). */
export const handler = getOpenApiController(httpSettingsFromEnv());
