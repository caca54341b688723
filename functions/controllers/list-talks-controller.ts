import { audienceOf, cacheControl } from '../http/cache-policy.js';
import { queryParams } from '../http/query-params.js';
import { listQuery } from '../http/query-schemas.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { listTalksRoute } from '../http/routes.js';
import { listTalks } from '../store/list-talks.js';
import type { Runtime } from './runtime.js';

export const listTalksController = (runtime: Runtime) =>
  routeHandler(listTalksRoute, runtime, async (event) => {
    const query = queryParams(event, listQuery);
    const page = await listTalks(runtime.store, {
      limit: query.limit ?? 20,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return jsonResponse(200, page, { 'cache-control': cacheControl('live', audienceOf(listTalksRoute, runtime.readsArePublic)) });
  });
