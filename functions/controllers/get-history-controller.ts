import { NotFoundError } from '../domain/domain-errors.js';
import { audienceOf, cacheControl, historyPageFreshness } from '../http/cache-policy.js';
import { historyPageBody } from '../http/history-page.js';
import { talksIdParam } from '../http/path-params.js';
import { queryParams } from '../http/query-params.js';
import { historyQuery } from '../http/query-schemas.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { getHistoryRoute } from '../http/routes.js';
import { readHistory } from '../store/read-history.js';
import { readStatusItem } from '../store/read-status.js';
import type { Runtime } from './runtime.js';

export const getHistoryController = (runtime: Runtime) =>
  routeHandler(getHistoryRoute, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const query = queryParams(event, historyQuery);
    const page = await readHistory(runtime.store, talksId, {
      after: query.after ?? 0,
      limit: query.limit ?? 100,
      ...(query.types === undefined ? {} : { types: query.types }),
    });
    // An empty page is either the end of a history or no talks at all: only then ask.
    if (page.items.length === 0 && (await readStatusItem(runtime.store, talksId)) === undefined) {
      throw new NotFoundError(`Talks ${talksId} does not exist`);
    }
    return jsonResponse(200, historyPageBody(talksId, page), {
      'cache-control': cacheControl(historyPageFreshness(page), audienceOf(getHistoryRoute, runtime.readsArePublic)),
    });
  });
