import type * as z from 'zod/mini';
import { NotFoundError } from '../domain/domain-errors.js';
import { presentStatus } from '../domain/present-status.js';
import type { TalksStatus } from '../domain/talks-status.js';
import { asOfFreshness, audienceOf, cacheControl, type Freshness } from '../http/cache-policy.js';
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
): Promise<{ status: TalksStatus; timeTravel: TimeTravel; freshness: Freshness } | undefined> {
  const given = (['asOf', 'atVersion', 'validAt'] as const).filter((k) => query[k] !== undefined);
  if (given.length > 1)
    throw new InputError(given.map((field) => ({ field, message: 'asOf, atVersion and validAt are mutually exclusive' })));
  // An existing version's status is the log through it, and the log is put-only.
  if (query.atVersion !== undefined)
    return {
      status: await statusAtVersion(runtime.store, talksId, query.atVersion),
      timeTravel: { mode: 'atVersion', at: query.atVersion },
      freshness: 'settled',
    };
  if (query.asOf !== undefined) {
    // One GetItem beside the read tells whether the head has moved past the moment.
    const [status, head] = await Promise.all([statusAsOf(runtime.store, talksId, query.asOf), readStatusItem(runtime.store, talksId)]);
    return { status, timeTravel: { mode: 'asOf', at: query.asOf }, freshness: asOfFreshness(status.version, head?.version) };
  }
  // A late report can still fill in what was valid then.
  if (query.validAt !== undefined)
    return {
      status: await statusValidAt(runtime.store, talksId, query.validAt),
      timeTravel: { mode: 'validAt', at: query.validAt },
      freshness: 'live',
    };
  return undefined;
}

export const getStatusController = (runtime: Runtime) => {
  const audience = audienceOf(getStatusRoute, runtime.readsArePublic);
  return routeHandler(getStatusRoute, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const query = queryParams(event, statusQuery);
    const past = await pastStatus(runtime, talksId, query);
    if (past !== undefined) {
      // Judged at the moment viewed: the requested one, or when the requested version was recorded.
      const moment = past.timeTravel.mode === 'atVersion' ? past.status.updatedAt : String(past.timeTravel.at);
      return jsonResponse(
        200,
        { ...presentStatus(past.status, new Date(moment), runtime.now()), timeTravel: past.timeTravel },
        { 'cache-control': cacheControl(past.freshness, audience) },
      );
    }
    const item = await readStatusItem(runtime.store, talksId);
    if (item === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
    const etag = etagOf(item.version);
    // A 304 carries the same policy: it refreshes what the cache stored (RFC 9111, 4.3.4).
    const cache = { etag, 'cache-control': cacheControl('live', audience) };
    const ifNoneMatch = header(event, 'if-none-match');
    if (ifNoneMatch !== undefined && matchesAny(ifNoneMatch, etag)) {
      return { statusCode: 304, headers: cache, body: '' };
    }
    return jsonResponse(200, presentStatus(item.status, runtime.now()), cache);
  });
};
