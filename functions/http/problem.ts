import { DomainError, type FieldProblem } from '../domain/domain-errors.js';
import type { HttpResponse } from './http-types.js';

/** RFC 9457 problem details; `type` is stable, resolved against the API's base URL. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  431: 'Request header fields too large',
  500: 'Internal error',
  503: 'Service unavailable',
};

export const problemTypeUri = (slug: string) => `/problems/${slug}`;

export function problemResponse(
  status: number,
  slug: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): HttpResponse {
  const body: Problem = { type: problemTypeUri(slug), title: titles[status] ?? 'Error', status, detail, ...extensions };
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** The one place errors become responses: domain errors carry their status. */
export function errorResponse(error: unknown, log: (entry: Record<string, unknown>) => void): HttpResponse {
  if (error instanceof DomainError) {
    const retryAfter = error.extensions.retryAfterSeconds;
    const { retryAfterSeconds: _omit, ...extensions } = error.extensions;
    return problemResponse(
      error.status,
      error.slug,
      error.message,
      extensions,
      typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
    );
  }
  const transient = transientAwsError(error);
  if (transient !== undefined) {
    log({ level: 'WARN', message: 'DynamoDB unavailable', error: describe(error) });
    return problemResponse(503, 'storage-unavailable', transient, {}, { 'retry-after': '1' });
  }
  log({ level: 'ERROR', message: 'Unhandled error', error: describe(error) });
  // Never echo internals to the client; the log has them.
  return problemResponse(500, 'internal', 'The server could not complete the request');
}

/**
 * DynamoDB's own "slow down" and "try again" errors. A TransactionConflictException hits a
 * plain write that raced a transaction: retrying is the documented remedy, so it is a 503
 * like throttling, not a 409 (a 409 here means the request itself conflicts).
 */
const transientNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TransactionInProgressException',
  'TransactionConflictException',
  'ReplicatedWriteConflictException',
  'LimitExceededException',
]);
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function transientAwsError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code;
  if (transientNames.has(error.name)) return 'The storage is busy or unavailable; retry shortly';
  // Any 5xx from DynamoDB is its fault, not the request's: retrying may help.
  const metadata = error as { $fault?: string; $metadata?: { httpStatusCode?: number } };
  if (metadata.$fault === 'server' || (metadata.$metadata?.httpStatusCode ?? 0) >= 500)
    return 'The storage is busy or unavailable; retry shortly';
  if (
    (code !== undefined && networkCodes.has(code)) ||
    error.name === 'AbortError' ||
    /socket hang up|ECONNREFUSED|connect ETIMEDOUT/.test(error.message)
  ) {
    return 'The storage cannot be reached; retry shortly';
  }
  return undefined;
}

const describe = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
