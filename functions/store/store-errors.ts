/**
 * The store could not do its part, whatever the request: too many writers, or DynamoDB
 * itself slow or out of reach. A retry may succeed, so each carries its Retry-After.
 * Mapped to problem+json, with the domain's and the HTTP errors, in functions/http/problem.ts.
 */
export abstract class StoreError extends Error {
  abstract readonly status: number;
  /** Stable problem type slug, appended to the problem type base URI. */
  abstract readonly slug: string;
  readonly extensions: Record<string, unknown> = {};
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.extensions.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Too many concurrent writers on one talks, or DynamoDB itself asking us to slow down. */
export class ContentionError extends StoreError {
  readonly status = 503;
  readonly slug = 'busy';
}

/** DynamoDB throttled, failed or could not be reached, after the SDK's own retries. */
export class StorageUnavailableError extends StoreError {
  readonly status = 503;
  readonly slug = 'storage-unavailable';
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

/**
 * The SDK's error as a StorageUnavailableError when retrying later may help; undefined when
 * it is anything else (a bug, a missing table), which must stay a 500.
 */
export function asStorageUnavailable(error: unknown): StorageUnavailableError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code;
  if (transientNames.has(error.name))
    return new StorageUnavailableError('The storage is busy or unavailable; retry shortly', 1, { cause: error });
  // Any 5xx from DynamoDB is its fault, not the request's: retrying may help.
  const metadata = error as { $fault?: string; $metadata?: { httpStatusCode?: number } };
  if (metadata.$fault === 'server' || (metadata.$metadata?.httpStatusCode ?? 0) >= 500)
    return new StorageUnavailableError('The storage is busy or unavailable; retry shortly', 1, { cause: error });
  if (
    (code !== undefined && networkCodes.has(code)) ||
    error.name === 'AbortError' ||
    /socket hang up|ECONNREFUSED|connect ETIMEDOUT/.test(error.message)
  ) {
    return new StorageUnavailableError('The storage cannot be reached; retry shortly', 1, { cause: error });
  }
  return undefined;
}
