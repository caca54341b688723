import { audienceOf, cacheControl } from '../http/cache-policy.js';
import { talksIdParam } from '../http/path-params.js';
import { queryParams } from '../http/query-params.js';
import { checkpointQuery } from '../http/query-schemas.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { getCheckpointRoute } from '../http/routes.js';
import { checkpointAt } from '../store/tree-store.js';
import type { Runtime } from './runtime.js';

/** The latest checkpoint changes with the next append; one at a given size never does. */
export const getCheckpointController = (runtime: Runtime) =>
  routeHandler(getCheckpointRoute, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const { treeSize } = queryParams(event, checkpointQuery);
    const checkpoint = await checkpointAt(runtime.store, talksId, treeSize);
    return jsonResponse(200, checkpoint, {
      'cache-control': cacheControl(treeSize === undefined ? 'live' : 'settled', audienceOf(getCheckpointRoute, runtime.readsArePublic)),
    });
  });
