import { NotFoundError } from '../domain/domain-errors.js';
import { presentStatus } from '../domain/present-status.js';
import type { Runtime } from '../commons/runtime.js';
import { readStatusItem } from '../store/read-status.js';
import { header } from '../http/request-parsing.js';
import { etagOf, jsonResponse, routeHandler } from '../http/route-handler.js';
import { routeTable } from '../http/route-table.js';
import { talksIdParam } from '../http/path-params.js';

const route = routeTable.find((r) => r.id === 'GetStatus')!;

/** If-None-Match may list several ETags, or `*`. */
const matchesAny = (ifNoneMatch: string, etag: string) =>
  ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

export const getStatusRoute = (runtime: Runtime) =>
  routeHandler(route, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const item = await readStatusItem(runtime.store, talksId);
    if (item === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
    const etag = etagOf(item.version);
    const ifNoneMatch = header(event, 'if-none-match');
    if (ifNoneMatch !== undefined && matchesAny(ifNoneMatch, etag)) {
      return { statusCode: 304, headers: { etag, 'cache-control': 'no-cache' }, body: '' };
    }
    return jsonResponse(200, presentStatus(item.status, runtime.now()), { etag, 'cache-control': 'no-cache' });
  });
