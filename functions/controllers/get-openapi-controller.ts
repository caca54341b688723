import { cacheControl } from '../http/cache-policy.js';
import type { HttpSettings } from '../http/http-settings.js';
import { buildOpenApiDocument } from '../http/openapi-document.js';
import { header } from '../http/request-parsing.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { getOpenApiRoute } from '../http/routes.js';

/**
 * Serves the OpenAPI document of this very deployment: its server URL is the host the
 * request came to, which operations need a token follows its reads setting, and the
 * security scheme names the issuer its authorizer trusts (JWT_ISSUER). Built
 * once per host per container (generating it walks every schema).
 */
export const getOpenApiController = (runtime: HttpSettings) => {
  const built = new Map<string, string>();
  return routeHandler(getOpenApiRoute, runtime, async (event) => {
    const host = header(event, 'host') ?? event.requestContext.domainName;
    // API Gateway terminates TLS and says so; the local server speaks plain HTTP.
    const forwarded = header(event, 'x-forwarded-proto');
    const proto =
      forwarded === 'http' || forwarded === 'https' ? forwarded : /^(127\.0\.0\.1|localhost)(:|$)/.test(host) ? 'http' : 'https';
    // The Host header is the client's to write: only a plain host[:port] goes into the document.
    // Behind the CDN the Host is the origin's own, which refuses direct calls: name the CDN's.
    const serverUrl = runtime.publicUrl ?? (/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(host) ? `${proto}://${host}` : '/');
    let body = built.get(serverUrl);
    if (body === undefined) {
      body = JSON.stringify(
        buildOpenApiDocument({
          readsPublic: runtime.readsArePublic,
          serverUrl,
          ...(runtime.jwtIssuer === undefined ? {} : { issuer: runtime.jwtIssuer }),
        }),
      );
      if (built.size < 8) built.set(serverUrl, body);
    }
    const response = jsonResponse(200, null, { 'cache-control': cacheControl('document', 'shared') });
    return { ...response, body };
  });
};
