import type { WebhookSettings } from './webhook-settings.js';

/** What happens to a queued delivery after an attempt (or a wait while its receiver is paused). */
export type DeliveryStep =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly delayMs: number }
  | { readonly kind: 'dead-letter'; readonly reason: string };

/** Exponential backoff from the first retry's delay, capped. */
export const backoffMs = (attempt: number, settings: Pick<WebhookSettings, 'firstRetryMs' | 'maxRetryDelayMs'>): number =>
  Math.min(settings.maxRetryDelayMs, settings.firstRetryMs * 2 ** Math.max(0, attempt - 1));

/**
 * After a failed attempt: retry after the backoff, unless the next attempt would fall past
 * the bound counted from when the change was first queued; then it is dead-lettered.
 */
export function stepAfterFailure(
  attempt: number,
  firstQueuedAt: string,
  now: Date,
  settings: Pick<WebhookSettings, 'firstRetryMs' | 'maxRetryDelayMs' | 'retryForMs'>,
  waitAtLeastMs = 0,
): DeliveryStep {
  const delayMs = Math.max(waitAtLeastMs, backoffMs(attempt, settings));
  const elapsed = now.getTime() - Date.parse(firstQueuedAt);
  if (elapsed + delayMs > settings.retryForMs)
    return { kind: 'dead-letter', reason: `not delivered within ${settings.retryForMs} ms (${attempt} attempts)` };
  return { kind: 'retry', delayMs };
}
