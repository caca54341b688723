import { DomainError, type FieldProblem } from '../domain/domain-errors.js';
import { asStorageUnavailable, StoreError } from '../store/store-errors.js';
import { HttpError } from './http-errors.js';
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

// The slug of each problem response, kept beside it rather than parsed back from its body:
// the route handler logs and counts refusals by it.
const slugs = new WeakMap<HttpResponse, string>();

/** The problem type of a response made by `problemResponse`, if it is one. */
export const problemSlugOf = (response: HttpResponse): string | undefined => slugs.get(response);

export function problemResponse(
  status: number,
  slug: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): HttpResponse {
  const body: Problem = { type: problemTypeUri(slug), title: titles[status] ?? 'Error', status, detail, ...extensions };
  const response: HttpResponse = {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
  slugs.set(response, slug);
  return response;
}

/** An error that knows its problem type: the domain's, the store's or the request's. */
const problemOf = (error: unknown): DomainError | StoreError | HttpError | undefined =>
  error instanceof DomainError || error instanceof StoreError || error instanceof HttpError ? error : undefined;

/**
 * The one place errors become responses: each error base (domain, store, HTTP) carries its
 * status and problem type; SDK errors that a retry may cure become storage-unavailable;
 * anything else is a 500 that says nothing.
 */
export function errorResponse(error: unknown, log: (entry: Record<string, unknown>) => void): HttpResponse {
  const unavailable = problemOf(error) === undefined ? asStorageUnavailable(error) : undefined;
  if (unavailable !== undefined) log({ level: 'WARN', message: 'DynamoDB unavailable', error: describe(error) });
  const known = problemOf(error) ?? unavailable;
  if (known !== undefined) {
    const retryAfter = known.extensions.retryAfterSeconds;
    const { retryAfterSeconds: _omit, ...extensions } = known.extensions;
    return problemResponse(
      known.status,
      known.slug,
      known.message,
      extensions,
      typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
    );
  }
  log({ level: 'ERROR', message: 'Unhandled error', error: describe(error) });
  // Never echo internals to the client; the log has them.
  return problemResponse(500, 'internal', 'The server could not complete the request');
}

const describe = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
