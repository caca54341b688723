import { cacheControl } from '../http/cache-policy.js';
import { talksIdParam } from '../http/path-params.js';
import { queryParams } from '../http/query-params.js';
import { auditQuery } from '../http/query-schemas.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { auditTalksRoute } from '../http/routes.js';
import { auditTalks } from '../store/audit-log.js';
import type { Runtime } from './runtime.js';

export const auditTalksController = (runtime: Runtime) =>
  routeHandler(auditTalksRoute, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const query = queryParams(event, auditQuery);
    const report = await auditTalks(runtime.store, talksId, query.expectHead === undefined ? {} : { expectHead: query.expectHead });
    return jsonResponse(200, report, { 'cache-control': cacheControl('never', 'private') });
  });
