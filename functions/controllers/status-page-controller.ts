import type { HttpEvent, HttpResponse } from '../http/http-types.js';
import { originRefusal } from '../http/origin-guard.js';
import { pageFileFor, servePageFile } from '../http/static-page.js';
import type { PageSettings } from './runtime.js';

/** Serves the status page's files from `webDir`; a name that is not a page file is a 404. */
export const statusPageController =
  ({ webDir, liveUrl, originSecret }: PageSettings & { readonly originSecret?: string }) =>
  (event: HttpEvent): Promise<HttpResponse> =>
    Promise.resolve(originRefusal(event, originSecret) ?? servePageFile(webDir, pageFileFor(event), liveUrl));
