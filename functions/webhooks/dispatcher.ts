import type { FeedContext } from '../feed/feed-context.js';
import type { Log } from '../http/http-settings.js';
import type { DeliveryTask } from './delivery-task.js';
import { type DeliveryStep, stepAfterFailure } from './retry-policy.js';
import type { SendWebhook } from './send-webhook.js';
import { signedHeaders } from './signing.js';
import type { DeliveryAttempt } from './subscription-schemas.js';
import { readSubscription, recordAttempt, reviseSubscription, type Subscription } from './subscription-store.js';
import type { WebhookSettings } from './webhook-settings.js';

export interface DispatchDeps {
  readonly feed: FeedContext;
  readonly settings: WebhookSettings;
  readonly send: SendWebhook;
  readonly log: Log;
  /** Delivery metrics (EMF on AWS); a count per outcome and the latency of each attempt. */
  readonly metric?: (name: string, value: number, unit: 'Count' | 'Milliseconds') => void;
}

const delivered = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

/**
 * One attempt at one delivery, the same code on AWS (the SQS FIFO dispatcher) and locally
 * (the in-process queue): sign, POST, record the attempt, count the subscription's failures
 * (pausing it after too many in a row, resuming it on a success), and say what comes next.
 */
export async function dispatch(deps: DispatchDeps, task: DeliveryTask, attempt: number): Promise<DeliveryStep> {
  const now = deps.feed.now();
  const subscription = await readSubscription(deps.feed, task.subscriptionId);
  // Deleted: nothing more is sent, and nothing is left waiting.
  if (subscription === undefined || subscription.state === 'deleted') return { kind: 'done' };
  const base = { webhookId: task.webhookId, talksId: task.talksId, version: task.version, type: task.type, attempt };

  if (subscription.state === 'paused') {
    const probeDue = Date.parse(subscription.lastAttemptAt ?? subscription.pausedAt ?? now.toISOString()) + deps.settings.probeEveryMs;
    // Not hammered: while paused, one probe per interval, whichever delivery it is.
    if (probeDue > now.getTime()) return waitOrGiveUp(deps, task, attempt, now, probeDue - now.getTime());
  }

  const sent = await deps.send(subscription.url, { ...signedHeaders(subscription.secret, task.webhookId, now, task.body) }, task.body);
  const ok = delivered(sent.statusCode);
  deps.metric?.(ok ? 'WebhookDelivered' : 'WebhookFailed', 1, 'Count');
  deps.metric?.('WebhookAttemptLatency', sent.durationMs, 'Milliseconds');
  // A healthy subscription's success changes nothing: no write.
  if (!(ok && subscription.state === 'active' && subscription.consecutiveFailures === 0))
    await reviseSubscription(deps.feed, task.subscriptionId, (current) => afterAttempt(current, ok, now, deps.settings));
  const outcome: DeliveryAttempt = {
    ...base,
    attemptedAt: now.toISOString(),
    outcome: ok ? 'delivered' : 'failed',
    durationMs: sent.durationMs,
    ...(sent.statusCode === undefined ? {} : { statusCode: sent.statusCode }),
    ...(sent.error === undefined ? {} : { error: sent.error.slice(0, 300) }),
  };
  if (ok) {
    await recordAttempt(deps.feed, task.subscriptionId, outcome);
    return { kind: 'done' };
  }
  const step = stepAfterFailure(attempt, task.firstQueuedAt, now, deps.settings);
  await recordAttempt(deps.feed, task.subscriptionId, {
    ...outcome,
    ...(step.kind === 'retry' ? { nextAttemptAt: new Date(now.getTime() + step.delayMs).toISOString() } : {}),
  });
  if (step.kind === 'dead-letter') await deadLetter(deps, task, attempt, now, step.reason);
  return step;
}

async function waitOrGiveUp(deps: DispatchDeps, task: DeliveryTask, attempt: number, now: Date, waitMs: number): Promise<DeliveryStep> {
  const step = stepAfterFailure(attempt, task.firstQueuedAt, now, deps.settings, waitMs);
  if (step.kind === 'dead-letter') await deadLetter(deps, task, attempt, now, `${step.reason}; the subscription is paused`);
  return step;
}

async function deadLetter(deps: DispatchDeps, task: DeliveryTask, attempt: number, now: Date, reason: string): Promise<void> {
  deps.metric?.('WebhookDeadLettered', 1, 'Count');
  deps.log({ level: 'warn', message: 'webhook dead-lettered', subscriptionId: task.subscriptionId, webhookId: task.webhookId, reason });
  await recordAttempt(deps.feed, task.subscriptionId, {
    webhookId: task.webhookId,
    talksId: task.talksId,
    version: task.version,
    type: task.type,
    attempt,
    attemptedAt: now.toISOString(),
    outcome: 'dead-lettered',
    error: reason,
  });
}

function afterAttempt(current: Subscription, ok: boolean, now: Date, settings: WebhookSettings): Subscription | undefined {
  if (current.state === 'deleted') return undefined;
  const at = now.toISOString();
  if (ok) {
    const { pausedAt: _p, ...rest } = current;
    return { ...rest, state: 'active', consecutiveFailures: 0, lastAttemptAt: at };
  }
  const failures = current.consecutiveFailures + 1;
  const pause = current.state === 'active' && failures >= settings.pauseAfterFailures;
  return {
    ...current,
    consecutiveFailures: failures,
    lastAttemptAt: at,
    ...(pause ? { state: 'paused' as const, pausedAt: at } : {}),
  };
}
