import { httpSettingsFromEnv } from '../composition/http-settings.js';
import { pageSettingsBeside } from '../composition/page-files.js';
import { statusPageController } from '../controllers/status-page-controller.js';

/** Lambda entry: needs no table, so it builds no DynamoDB client. */
export const handler = statusPageController({ ...httpSettingsFromEnv(), ...pageSettingsBeside(import.meta.url) });
