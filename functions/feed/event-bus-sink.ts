import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { FeedChange, FeedSink } from './feed-change.js';

/** Every entry the bus gets has this source: rules match on it and on the event type. */
export const eventBusSource = 'talks-status';

/**
 * The entry of one change: `detail-type` is the event type (a rule subscribes to
 * `agreement.reached` without parsing anything), the detail the change itself (talks id,
 * version, head hash, the stored event, the status summary after it) with `replayed` set
 * when it comes from the log rather than the stream. EventBridge adds `replay-name` to what
 * it re-sends from the archive, so both kinds of replay are told apart.
 */
export function busEntry(change: FeedChange, eventBusName: string): PutEventsRequestEntry {
  return {
    EventBusName: eventBusName,
    Source: eventBusSource,
    DetailType: change.event.type,
    // The event's transaction time: an archive replay between two times selects by it.
    Time: new Date(change.event.recordedAt),
    Detail: JSON.stringify({
      talksId: change.talksId,
      version: change.version,
      headHash: change.headHash,
      replayed: change.replayed,
      event: change.event,
      summary: change.summary,
    }),
  };
}

/** Publishes each change to the custom bus; a refused entry is an error, so the consumer retries it. */
export const eventBusSink = (client: Pick<EventBridgeClient, 'send'>, eventBusName: string): FeedSink => ({
  name: 'event-bus',
  async deliver(change) {
    const answer = await client.send(new PutEventsCommand({ Entries: [busEntry(change, eventBusName)] }));
    if ((answer.FailedEntryCount ?? 0) > 0) {
      const entry = answer.Entries?.[0];
      throw new Error(`EventBridge refused ${change.talksId} v${change.version}: ${entry?.ErrorCode ?? '?'} ${entry?.ErrorMessage ?? ''}`);
    }
  },
});
