import { DomainError } from '../domain/domain-errors.js';

/** Too many concurrent writers on one talks, or DynamoDB itself asking us to slow down. */
export class ContentionError extends DomainError {
  readonly status = 503;
  readonly slug = 'busy';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.extensions.retryAfterSeconds = retryAfterSeconds;
  }
}
