import { httpSettingsFromEnv } from '../commons/http-settings.js';
import { getOpenApiRoute } from '../use-cases/get-openapi-route.js';

/** Lambda entry: needs no table, so it builds no DynamoDB client (and bundles no SDK). */
export const handler = getOpenApiRoute(httpSettingsFromEnv());
