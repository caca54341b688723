import { problemResponse } from './problem.js';

/**
 * Every problem type the API answers with, for its OpenAPI document. The slugs are raised
 * across the code (domain errors, the HTTP helpers, the local server); a unit test scans
 * the sources so that a new slug cannot ship undocumented.
 */
export interface ProblemType {
  readonly status: number;
  readonly description: string;
  /** A representative `detail`, for the document's examples. */
  readonly example: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Answered before any route is chosen (by the server or, on AWS, API Gateway's edge). */
  readonly beforeRouting?: true;
}

export const problemCatalog = {
  'bad-request': {
    status: 400,
    description: 'The request line itself could not be understood',
    example: 'The request URL is not valid',
    beforeRouting: true,
  },
  'malformed-request': {
    status: 400,
    description: 'Not well-formed HTTP/1.1 (a control character in the path, a malformed header)',
    example: 'The request is not well-formed HTTP/1.1',
    beforeRouting: true,
  },
  'request-timeout': {
    status: 408,
    description: 'The request took too long to arrive',
    example: 'The request took too long to arrive',
    beforeRouting: true,
  },
  'headers-too-large': {
    status: 431,
    description: 'The request headers are over 16 KiB',
    example: 'The request headers are too large',
    beforeRouting: true,
  },
  'upgrade-required': {
    status: 426,
    description: "A plain HTTP request to the live updates' WebSocket endpoint (`/live`): connect with a WebSocket",
    example: 'Connect with a WebSocket to /live',
    beforeRouting: true,
  },
  'validation-failed': {
    status: 400,
    description: 'A path parameter, query parameter, header or body field is not valid; `errors` lists each offending field',
    example: 'The event is not valid',
    extensions: { errors: [{ field: 'data/title', message: 'Too small: expected string to have >=1 characters' }] },
  },
  unauthorized: {
    status: 401,
    description: 'No bearer token, or one that is expired, forged or for another issuer or audience',
    example: 'A bearer token is required',
  },
  forbidden: {
    status: 403,
    description: 'The token is valid but lacks the scope the route requires',
    example: 'The token lacks the scope talks/write',
  },
  'not-found': {
    status: 404,
    description:
      'No talks with this id (or no such route); appending to a talks that does not exist yet, with a first event other than talks.opened, is also a 404',
    example: 'Talks gaza-ceasefire-2025 does not exist',
  },
  'method-not-allowed': {
    status: 405,
    description: 'The path exists but not with this method',
    example: 'DELETE is not allowed on /talks',
    beforeRouting: true,
  },
  'version-mismatch': {
    status: 409,
    description: 'If-Match named a version other than the current one: read the status again and decide',
    example: 'Expected version 3 but the talks is at version 5',
    extensions: { currentVersion: 5, expectedVersion: 3 },
  },
  'event-id-reused': {
    status: 409,
    description: 'An event id is already stored with different content (the same content would be an idempotent success)',
    example: 'Event id 0b6f… is already stored with different content',
    extensions: { eventId: '0b6f8a52-3f3a-4d8e-9d3c-2b1f0f3a7c11' },
  },
  'already-open': {
    status: 409,
    description: 'The talks is already open: talks.opened may only be its first event',
    example: 'Talks gaza-ceasefire-2025 is already open',
  },
  'payload-too-large': { status: 413, description: 'The body is over 256 KiB', example: 'The body is 300000 bytes; the limit is 262144' },
  'unsupported-media-type': {
    status: 415,
    description: 'The body is not sent as application/json',
    example: 'Send the body as application/json (got text/plain)',
  },
  'revision-target-missing': {
    status: 422,
    description: 'A correction or retraction names a version that is not an earlier event of this talks',
    example: 'version 40 is not an earlier event of this talks',
  },
  'revision-target-retracted': {
    status: 422,
    description: 'A correction or retraction names an event already retracted',
    example: 'version 4 is already retracted',
  },
  'revision-target-invalid': {
    status: 422,
    description:
      'That event cannot be revised this way (a retraction, a correction of a correction, a retraction of the opening, a retraction of a correction that would leave its target dated after it was reported)',
    example: 'a retraction cannot be corrected or retracted',
  },
  'invalid-correction': {
    status: 422,
    description: 'The corrected data would not be valid for the target event type',
    example: 'the corrected data is not valid for a figure.reported event',
  },
  internal: {
    status: 500,
    description: 'An unexpected error; the details are in the server log, never in the response',
    example: 'The server could not complete the request',
  },
  busy: {
    status: 503,
    description: 'Too many concurrent writers on one talks; retry after the Retry-After header',
    example: 'The talks is busy; retry shortly',
  },
  'storage-unavailable': {
    status: 503,
    description: 'DynamoDB is throttling or cannot be reached; retry after the Retry-After header',
    example: 'The storage is busy or unavailable; retry shortly',
  },
} as const satisfies Record<string, ProblemType>;

export type ProblemSlug = keyof typeof problemCatalog;

/** The example problem body of one type, built by the very function the server answers with. */
export const problemExample = (slug: ProblemSlug): Record<string, unknown> => {
  const p: ProblemType = problemCatalog[slug];
  return JSON.parse(problemResponse(p.status, slug, p.example, { ...p.extensions }).body ?? '{}') as Record<string, unknown>;
};
