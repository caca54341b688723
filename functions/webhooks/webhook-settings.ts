/**
 * How webhooks are retried, paused and bounded. The AWS defaults follow the Standard
 * Webhooks guidance (retry with exponential backoff for about a day); every one is a
 * setting so that tests (and a local server) can make the bound short.
 */
export interface WebhookSettings {
  /** After this long since a change was first queued, it is dead-lettered instead of retried. */
  readonly retryForMs: number;
  /** The first retry's delay; each next one doubles, up to `maxRetryDelayMs`. */
  readonly firstRetryMs: number;
  readonly maxRetryDelayMs: number;
  /** A subscription failing this many attempts in a row is paused. */
  readonly pauseAfterFailures: number;
  /** While paused, at most one attempt (a probe) per this interval; a success resumes it. */
  readonly probeEveryMs: number;
  /** How long a receiver has to answer. */
  readonly timeoutMs: number;
  /** Loopback targets over http are allowed (local `--allow-private-webhooks`; never on AWS). */
  readonly allowLoopback: boolean;
}

export const defaultWebhookSettings: WebhookSettings = {
  retryForMs: 24 * 60 * 60 * 1000,
  firstRetryMs: 5_000,
  maxRetryDelayMs: 60 * 60 * 1000,
  pauseAfterFailures: 10,
  probeEveryMs: 5 * 60 * 1000,
  timeoutMs: 10_000,
  allowLoopback: false,
};

const positive = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
};

/** On AWS: the stack's environment; loopback is never allowed there. */
export const webhookSettingsFromEnv = (env: NodeJS.ProcessEnv): WebhookSettings => ({
  retryForMs: positive(env, 'WEBHOOK_RETRY_FOR_MS', defaultWebhookSettings.retryForMs),
  firstRetryMs: positive(env, 'WEBHOOK_FIRST_RETRY_MS', defaultWebhookSettings.firstRetryMs),
  maxRetryDelayMs: positive(env, 'WEBHOOK_MAX_RETRY_DELAY_MS', defaultWebhookSettings.maxRetryDelayMs),
  pauseAfterFailures: positive(env, 'WEBHOOK_PAUSE_AFTER_FAILURES', defaultWebhookSettings.pauseAfterFailures),
  probeEveryMs: positive(env, 'WEBHOOK_PROBE_EVERY_MS', defaultWebhookSettings.probeEveryMs),
  timeoutMs: positive(env, 'WEBHOOK_TIMEOUT_MS', defaultWebhookSettings.timeoutMs),
  allowLoopback: false,
});
