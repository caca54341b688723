import type { FeedChange } from '../feed/feed-change.js';
import type { TalksSummary } from '../store/item-keys.js';

/** A stored event, announced: enough to render a list entry, and to know what to re-read. */
export interface ChangeMessage {
  type: 'change';
  talksId: string;
  version: number;
  headHash: string;
  /** The stored event's type and its recording time, for clients that filter. */
  eventType: string;
  recordedAt: string;
  summary: TalksSummary;
  /** Re-sent from the log (the feed's catch-up), not first seen on the stream. */
  replayed: boolean;
}

export const changeMessage = (change: FeedChange): ChangeMessage => ({
  type: 'change',
  talksId: change.talksId,
  version: change.version,
  headHash: change.headHash,
  eventType: change.event.type,
  recordedAt: change.event.recordedAt,
  summary: change.summary,
  replayed: change.replayed,
});
