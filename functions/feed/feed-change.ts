import type { StoredEvent } from '../domain/submitted-event.js';
import type { TalksSummary } from '../store/item-keys.js';

/**
 * One stored event as every downstream path sees it (EventBridge, webhooks, live updates):
 * the event exactly as stored, with the talks' head and summary right after it. Changes
 * of one talks arrive in version order, at least once: a receiver deduplicates by
 * (talksId, version) and detects a gap when `version` is not its last seen + 1.
 */
export interface FeedChange {
  talksId: string;
  version: number;
  /** The head hash after this event (the event's own `hash`). */
  headHash: string;
  event: StoredEvent;
  /** The talks as the list route shows it, right after this event. */
  summary: TalksSummary;
  /** True when the change is re-sent from the log (catch-up or archive replay), not first seen on the stream. */
  replayed: boolean;
}

/** A downstream path. Resolving means handled (or queued durably); rejecting makes the consumer retry the change. */
export interface FeedSink {
  readonly name: string;
  deliver(change: FeedChange): Promise<void>;
}
