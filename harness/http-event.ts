import { randomUUID } from 'node:crypto';
import type { HttpEvent } from '../functions/http/http-types.js';

/** A payload v2 event as API Gateway's HTTP API sends it (headers already lowercased). */
export function httpEvent(options: {
  method?: string;
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  scopes?: string[];
  subject?: string;
}): HttpEvent {
  const method = options.method ?? 'GET';
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers = Object.fromEntries(
    Object.entries({ ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers }).map(([k, v]) => [
      k.toLowerCase(),
      v,
    ]),
  );
  return {
    version: '2.0',
    routeKey: `${method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers,
    ...(options.query === undefined ? {} : { queryStringParameters: options.query }),
    ...(options.pathParameters === undefined ? {} : { pathParameters: options.pathParameters }),
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: `${method} ${options.path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.scopes === undefined
        ? {}
        : {
            authorizer: { jwt: { claims: { sub: options.subject ?? 'tester', scope: options.scopes.join(' ') }, scopes: options.scopes } },
          }),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}
