import type * as z from 'zod/mini';
import { NotFoundError } from '../domain/domain-errors.js';
import { presentStatus } from '../domain/present-status.js';
import type { TalksStatus } from '../domain/talks-status.js';
import { InputError } from '../http/http-errors.js';
import { talksIdParam } from '../http/path-params.js';
import { queryParams } from '../http/query-params.js';
import { statusQuery } from '../http/query-schemas.js';
import { header } from '../http/request-parsing.js';
import { etagOf, jsonResponse, routeHandler } from '../http/route-handler.js';
import { getStatusRoute } from '../http/routes.js';
import { readStatusItem } from '../store/read-status.js';
import { statusAsOf, statusAtVersion, statusValidAt } from '../store/time-travel.js';
import type { Runtime } from './runtime.js';

/** If-None-Match may list several ETags, or `*`. */
const matchesAny = (ifNoneMatch: string, etag: string) =>
  ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

type TimeTravel = { mode: 'asOf' | 'atVersion' | 'validAt'; at: string | number };

async function pastStatus(
  runtime: Runtime,
  talksId: string,
  query: z.output<z.ZodMiniObject<typeof statusQuery>>,
): Promise<{ status: TalksStatus; timeTravel: TimeTravel } | undefined> {
  const given = (['asOf', 'atVersion', 'validAt'] as const).filter((k) => query[k] !== undefined);
  if (given.length > 1)
    throw new InputError(given.map((field) => ({ field, message: 'asOf, atVersion and validAt are mutually exclusive' })));
  if (query.atVersion !== undefined)
    return {
      status: await statusAtVersion(runtime.store, talksId, query.atVersion),
      timeTravel: { mode: 'atVersion', at: query.atVersion },
    };
  if (query.asOf !== undefined)
    return { status: await statusAsOf(runtime.store, talksId, query.asOf), timeTravel: { mode: 'asOf', at: query.asOf } };
  if (query.validAt !== undefined)
    return { status: await statusValidAt(runtime.store, talksId, query.validAt), timeTravel: { mode: 'validAt', at: query.validAt } };
  return undefined;
}

export const getStatusController = (runtime: Runtime) =>
  routeHandler(getStatusRoute, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const query = queryParams(event, statusQuery);
    const past = await pastStatus(runtime, talksId, query);
    if (past !== undefined) {
      // The past does not change (but for a validAt read, which new reports can fill in).
      // Judged at the moment viewed: the requested one, or when the requested version was recorded.
      const moment = past.timeTravel.mode === 'atVersion' ? past.status.updatedAt : String(past.timeTravel.at);
      return jsonResponse(
        200,
        { ...presentStatus(past.status, new Date(moment), runtime.now()), timeTravel: past.timeTravel },
        { 'cache-control': past.timeTravel.mode === 'validAt' ? 'no-cache' : 'max-age=60' },
      );
    }
    const item = await readStatusItem(runtime.store, talksId);
    if (item === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
    const etag = etagOf(item.version);
    const ifNoneMatch = header(event, 'if-none-match');
    if (ifNoneMatch !== undefined && matchesAny(ifNoneMatch, etag)) {
      return { statusCode: 304, headers: { etag, 'cache-control': 'no-cache' }, body: '' };
    }
    return jsonResponse(200, presentStatus(item.status, runtime.now()), { etag, 'cache-control': 'no-cache' });
  });
