import { audienceOf, cacheControl } from '../http/cache-policy.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { getJwksRoute } from '../http/routes.js';
import type { Runtime } from './runtime.js';

/** The checkpoint keys: they change only when the key is rotated (a deployment). */
export const getJwksController = (runtime: Runtime) =>
  routeHandler(getJwksRoute, runtime, async () =>
    jsonResponse(200, await runtime.store.checkpoints.jwks(), {
      'cache-control': cacheControl('document', audienceOf(getJwksRoute, runtime.readsArePublic)),
    }),
  );
