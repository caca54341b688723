import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpEvent, HttpResponse } from '../../functions/http/http-types.js';
import { problemResponse } from '../../functions/http/problem.js';

/** Bodies beyond this are refused before reading on (the handlers' own limit is 256 KiB). */
export const maxRequestBytes = 1024 * 1024;

export class BodyTooLargeError extends Error {}
/** No byte of the body for too long: a slow client (or a slow-loris) holds nothing of ours. */
export class BodyTimeoutError extends Error {}
/** The client closed the connection before its body arrived: nobody is left to answer. */
export class ClientGoneError extends Error {}

/**
 * Reads the body, refusing it past maxRequestBytes or when no byte arrives for idleMs. It
 * stops reading on refusal rather than destroying the request, so the answer still goes out.
 */
export function readBody(request: IncomingMessage, options: { idleMs?: number } = {}): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settle();
    };
    const arm = () => {
      if (options.idleMs === undefined) return;
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          finish(() => {
            request.pause();
            reject(new BodyTimeoutError(`no body byte for ${options.idleMs} ms`));
          }),
        options.idleMs,
      );
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes)
        return finish(() => {
          request.pause();
          reject(new BodyTooLargeError(`body over ${maxRequestBytes} bytes`));
        });
      chunks.push(chunk);
      arm();
    };
    const onEnd = () => finish(() => resolveBody(Buffer.concat(chunks)));
    const onError = (error: Error) => finish(() => reject(new ClientGoneError(error.message)));
    const onClose = () => {
      if (!request.complete) finish(() => reject(new ClientGoneError('the client closed the connection')));
    };
    // Gone before we got to its body: 'close' has been and gone.
    if (request.destroyed && !request.complete) return reject(new ClientGoneError('the client closed the connection'));
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    arm();
  });
}

/** The declared Content-Length is over the limit: refuse before reading a byte. */
export const declaresTooLargeBody = (request: IncomingMessage): boolean => Number(request.headers['content-length'] ?? 0) > maxRequestBytes;

/** The request's body has not been read to its end (none declared counts as read). */
export const bodyUnread = (request: IncomingMessage): boolean =>
  !request.complete && (request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined);

/**
 * An answer sent before the body was read must end the connection: the unread bytes would
 * otherwise be parsed as the next request on the socket.
 */
export const closingConnection = (response: HttpResponse): HttpResponse => ({
  ...response,
  headers: { ...response.headers, connection: 'close' },
});

/** The event with its body, once the request has been authorized and the body read. */
export const withBody = (event: HttpEvent, body: Buffer): HttpEvent =>
  body.length === 0 ? event : { ...event, body: body.toString('base64'), isBase64Encoded: true };

/**
 * The payload v2 event API Gateway's HTTP API would send for this request: lowercased
 * headers (repeats joined by commas), query parameters (repeats joined by commas), the
 * body base64-encoded so its bytes reach the handler untouched.
 */
export function toHttpEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string>,
): HttpEvent {
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] ?? '').toLowerCase();
    const value = request.rawHeaders[i + 1] ?? '';
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    ...(Object.keys(pathParameters).length === 0 ? {} : { pathParameters }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length === 0 ? {} : { body: body.toString('base64') }),
    isBase64Encoded: body.length > 0,
  };
}

export function writeResponse(response: ServerResponse, result: HttpResponse): void {
  const body = result.body ?? '';
  response.writeHead(result.statusCode, { ...result.headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/**
 * Requests node's parser refuses (a control character in the path, a malformed header,
 * headers over 16 KiB) get problem+json like every other refusal, instead of node's bare
 * "400 Bad Request" with no body. API Gateway answers these at its edge on AWS.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return;
    const [status, slug, detail]: [number, string, string] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers-too-large', 'The request headers are too large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request-timeout', 'The request took too long to arrive']
          : [400, 'malformed-request', 'The request is not well-formed HTTP/1.1'];
    const problem = problemResponse(status, slug, detail);
    const body = problem.body ?? '';
    const headers = Object.entries({ ...problem.headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }).map(
      ([k, v]) => `${k}: ${v}\r\n`,
    );
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${headers.join('')}\r\n${body}`);
  });
}
