import * as z from 'zod';
import { NotFoundError } from '../domain/domain-errors.js';
import { eventTypes, type EventType } from '../domain/event-catalog.js';
import type { Runtime } from '../commons/runtime.js';
import { readHistory } from '../store/read-history.js';
import { readStatusItem } from '../store/read-status.js';
import { intParam, queryParams } from '../http/query-params.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { routeTable } from '../http/route-table.js';
import { talksIdParam } from '../http/path-params.js';

const route = routeTable.find((r) => r.id === 'GetHistory')!;

const typesParam = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((t) => t.trim()).filter((t) => t !== ''))
  .pipe(z.array(z.enum(eventTypes as [EventType, ...EventType[]])).max(20));

export const historyQuery = {
  after: intParam(0, Number.MAX_SAFE_INTEGER).optional(),
  limit: intParam(1, 1000).optional(),
  types: typesParam.optional(),
};

export const getHistoryRoute = (runtime: Runtime) =>
  routeHandler(route, runtime, async (event) => {
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
    return jsonResponse(200, { talksId, items: page.items, nextAfter: page.nextAfter });
  });
