import * as z from 'zod';
import type { Runtime } from '../commons/runtime.js';
import { auditTalks } from '../store/audit-log.js';
import { queryParams } from '../http/query-params.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { routeTable } from '../http/route-table.js';
import { talksIdParam } from '../http/path-params.js';

const route = routeTable.find((r) => r.id === 'AuditTalks')!;

export const auditQuery = {
  expectHead: z
    .string()
    .regex(/^\d{1,15}:[0-9a-f]{64}$/, 'expected <version>:<sha-256 hex>, as a status headHash with its version')
    .transform((s) => {
      const [version, hash] = s.split(':') as [string, string];
      return { version: Number(version), hash };
    })
    .optional()
    .describe('A digest kept earlier: proves the log up to that version is unchanged'),
};

export const auditTalksRoute = (runtime: Runtime) =>
  routeHandler(route, runtime, async (event) => {
    const talksId = talksIdParam(event);
    const query = queryParams(event, auditQuery);
    const report = await auditTalks(runtime.store, talksId, query.expectHead === undefined ? {} : { expectHead: query.expectHead });
    return jsonResponse(200, report, { 'cache-control': 'no-store' });
  });
