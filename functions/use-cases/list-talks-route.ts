import type { Runtime } from '../commons/runtime.js';
import { queryParams } from '../http/query-params.js';
import { listQuery } from '../http/query-schemas.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { routeById } from '../http/route-table.js';
import { listTalks } from '../store/list-talks.js';

const route = routeById('ListTalks');

export const listTalksRoute = (runtime: Runtime) =>
  routeHandler(route, runtime, async (event) => {
    const query = queryParams(event, listQuery);
    const page = await listTalks(runtime.store, {
      limit: query.limit ?? 20,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return jsonResponse(200, page);
  });
