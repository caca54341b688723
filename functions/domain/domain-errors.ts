/**
 * The domain's refusals: an invalid submission, an unknown talks, a conflict, a broken
 * rule. Each carries its HTTP meaning (status and a stable problem slug) as data, mapped to
 * a problem+json response in one place (functions/http/problem.ts). Pure: no AWS, no HTTP
 * types. The store's errors (store-errors.ts) and the request's (http-errors.ts) have their
 * own bases.
 */
export interface FieldProblem {
  /** JSON pointer-ish path: "events/3/data/title". */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Stable problem type slug, appended to the problem type base URI. */
  abstract readonly slug: string;
  readonly extensions: Record<string, unknown> = {};
}

/**
 * A submission refused as a whole (an event id twice in one batch, a cursor the API never
 * issued). A request that does not parse is the HTTP room's InputError; same problem type.
 */
export class ValidationError extends DomainError {
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

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'not-found';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(
    readonly slug: string,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message);
    Object.assign(this.extensions, extensions);
  }
}

/** Rules of the talks broken by a well-formed request (a revision of a missing version...). */
export class RuleViolationError extends DomainError {
  readonly status = 422;
  constructor(
    readonly slug: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    if (fields.length > 0) this.extensions.errors = fields;
  }
}
