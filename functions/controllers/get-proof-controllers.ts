import { audienceOf, cacheControl } from '../http/cache-policy.js';
import { talksIdParam } from '../http/path-params.js';
import { queryParams } from '../http/query-params.js';
import { consistencyQuery, inclusionQuery } from '../http/query-schemas.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { getConsistencyProofRoute, getInclusionProofRoute } from '../http/routes.js';
import { consistencyProofOf, inclusionProofOf } from '../store/tree-store.js';
import type { Runtime } from './runtime.js';

// A proof between fixed sizes can never change: the log is put-only.

export const getInclusionProofController = (runtime: Runtime) =>
  routeHandler(getInclusionProofRoute, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const { version, treeSize } = queryParams(event, inclusionQuery);
    return jsonResponse(200, await inclusionProofOf(runtime.store, talksId, version, treeSize), {
      'cache-control': cacheControl('settled', audienceOf(getInclusionProofRoute, runtime.readsArePublic)),
    });
  });

export const getConsistencyProofController = (runtime: Runtime) =>
  routeHandler(getConsistencyProofRoute, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const { from, to } = queryParams(event, consistencyQuery);
    return jsonResponse(200, await consistencyProofOf(runtime.store, talksId, from, to), {
      'cache-control': cacheControl('settled', audienceOf(getConsistencyProofRoute, runtime.readsArePublic)),
    });
  });
