import type { FieldProblem } from '../domain/domain-errors.js';

/**
 * A request refused before the store is asked anything: its shape (body, headers, query, path) or
 * its token. Mapped to problem+json, with the domain's and the store's errors, in one place
 * (problem.ts).
 */
export abstract class HttpError extends Error {
  abstract readonly status: number;
  /** Stable problem type slug, appended to the problem type base URI. */
  abstract readonly slug: string;
  readonly extensions: Record<string, unknown> = {};
}

/**
 * The request does not parse: a field of the body, a header, a query or path parameter.
 * The same problem type as the domain's ValidationError (a well-formed submission the
 * domain refuses): to the client both are fields to fix.
 */
export class InputError extends HttpError {
  readonly status = 400;
  readonly slug = 'validation-failed';
  constructor(
    readonly fields: FieldProblem[],
    message = 'The request is not valid',
  ) {
    super(message);
    this.extensions.errors = fields;
  }
}

export class UnauthorizedError extends HttpError {
  readonly status = 401;
  readonly slug = 'unauthorized';
}

export class ForbiddenError extends HttpError {
  readonly status = 403;
  readonly slug = 'forbidden';
}

export class PayloadTooLargeError extends HttpError {
  readonly status = 413;
  readonly slug = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
}
