import type { FeedChange, FeedSink } from '../../functions/feed/feed-change.js';

/**
 * THE place where the local server registers the feed's downstream paths: every change the
 * consumer reads from DynamoDB Local's stream goes to each sink listed here, in version
 * order per talks, at least once (functions/feed/feed-change.ts). Add a path by adding its
 * sink to the list `localFeedSinks` returns.
 */
export interface LocalSinkDeps {
  /** The webhook path (functions/webhooks/): enqueues a delivery per matching subscription. */
  readonly webhooks?: FeedSink;
  /** Live updates: the /live WebSocket hub (functions/live/live-hub.ts). */
  readonly live?: FeedSink;
  /** Sinks a caller of startLocalService adds (tests, the bench). */
  readonly extra?: readonly FeedSink[];
  readonly log: (line: string) => void;
  /** Log each change as the EventBridge bus would receive it (`--log-feed`); off by default. */
  readonly logBus?: boolean;
}

/**
 * Locally there is no EventBridge bus: the bus sink is replaced by an optional log line with
 * the detail-type and detail the bus would get (functions/feed/event-bus-sink.ts builds
 * both, and its tests cover the publishing).
 */
const busLogSink = (log: (line: string) => void): FeedSink => ({
  name: 'event-bus-log',
  async deliver(change: FeedChange) {
    log(`feed: ${change.event.type} ${change.talksId} v${change.version}${change.replayed ? ' (replayed)' : ''}`);
  },
});

export function localFeedSinks(deps: LocalSinkDeps): FeedSink[] {
  return [
    ...(deps.webhooks === undefined ? [] : [deps.webhooks]),
    ...(deps.live === undefined ? [] : [deps.live]),
    ...(deps.logBus === true ? [busLogSink(deps.log)] : []),
    ...(deps.extra ?? []),
  ];
}
