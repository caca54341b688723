/**
 * Exit codes, distinct per kind of failure so that scripts can branch on them
 * (documented in `talks --help`).
 */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  input: 3,
  notFound: 4,
  rejected: 5,
  conflict: 6,
  auth: 7,
  unavailable: 8,
  verification: 9,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export const exitCodeHelp: Record<ExitCode, string> = {
  0: 'success',
  1: 'unexpected error',
  2: 'usage error (unknown command or option, missing argument)',
  3: 'input error (file not found, not JSON or JSON Lines)',
  4: 'not found (no such talks)',
  5: 'rejected by the API (validation, 400/413/415/422)',
  6: 'conflict (409: version mismatch, event id reused, already open, import target differs)',
  7: 'not authorized (401/403: no token, bad token, missing scope)',
  8: 'API unreachable or failing (network error, 5xx)',
  9: 'verification failed (audit not ok, export hash chain broken, checkpoint not verified)',
};

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    /** Field problems from a problem+json answer, printed one a line. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(exitCodes.usage, `${message}\nRun "talks --help" for usage.`);

/** The exit code an HTTP status means for a script. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 404) return exitCodes.notFound;
  if (status === 401 || status === 403) return exitCodes.auth;
  if (status === 409 || status === 412) return exitCodes.conflict;
  if (status >= 500) return exitCodes.unavailable;
  if (status >= 400) return exitCodes.rejected;
  return exitCodes.failure;
}
