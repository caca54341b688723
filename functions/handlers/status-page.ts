import { httpSettingsFromEnv } from '../composition/http-settings.js';
import { pageSettingsBeside } from '../composition/page-files.js';
import { statusPageController } from '../controllers/status-page-controller.js';

/** Lambda entry: needs no table, so it builds no DynamoDB client. LIVE_URL: the WebSocket API's stage URL the page connects to. */
const liveUrl = process.env.LIVE_URL;
export const handler = statusPageController({
  ...httpSettingsFromEnv(),
  ...pageSettingsBeside(import.meta.url),
  ...(liveUrl === undefined || liveUrl === '' ? {} : { liveUrl }),
});
