import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedSink } from '../../functions/feed/feed-change.js';
import { FeedConsumer } from '../../functions/feed/feed-consumer.js';
import type { Log } from '../../functions/http/http-settings.js';
import type { StoreContext } from '../../functions/store/store-context.js';
import type { DynamoDbCredentials } from './dynamodb-local.js';
import { type StreamPoller, type StreamPollerOptions, startStreamPoller } from './local-stream-poller.js';

export interface LocalFeedOptions {
  readonly endpoint: string;
  readonly credentials: DynamoDbCredentials;
  readonly store: StoreContext;
  readonly feedTable: string;
  readonly doc: DynamoDBDocumentClient;
  /** Every downstream path of the local server (bin/local/local-feed-sinks.ts builds them). */
  readonly sinks: readonly FeedSink[];
  readonly log: (line: string) => void;
  readonly jsonLog: Log;
  readonly onBatch?: StreamPollerOptions['onBatch'];
}

/** The local feed: the consumer, its start-up sweep, and the stream poller; stoppable and restartable. */
export interface LocalFeed {
  readonly consumer: FeedConsumer;
  readonly running: boolean;
  /** Stops reading the stream (the server keeps serving): what a consumer outage looks like. */
  stop(): Promise<void>;
  /** Sweeps (catch-up of every talks behind its checkpoint), then reads the stream again. */
  start(options?: { startingPosition?: 'TRIM_HORIZON' | 'LATEST' }): Promise<void>;
}

/** The local feed, not reading yet: nothing polls the stream until `start` (a server started without the feed). */
export function createLocalFeed(options: LocalFeedOptions): LocalFeed {
  const consumer = new FeedConsumer({
    store: options.store,
    feed: { doc: options.doc, table: options.feedTable, now: options.store.now },
    sinks: options.sinks,
    log: options.jsonLog,
    // One DynamoDB Local serves the API too: the feed takes a small share of it.
    concurrency: 2,
  });
  let poller: StreamPoller | undefined;
  const feed: LocalFeed = {
    consumer,
    get running() {
      return poller !== undefined;
    },
    async stop() {
      const current = poller;
      poller = undefined;
      await current?.stop();
    },
    async start(startOptions = {}) {
      if (poller !== undefined) return;
      // Whatever the stream no longer holds (data older than its retention, or written while
      // no consumer ran) comes from the log first; the stream's repeats are then dropped.
      const swept = await consumer.sweep();
      if (swept.replayed > 0) options.log(`feed: caught up ${swept.replayed} changes from the log`);
      poller = await startStreamPoller({
        endpoint: options.endpoint,
        credentials: options.credentials,
        eventsTable: options.store.tables.events,
        consumer,
        log: options.log,
        idleMs: 200,
        ...(startOptions.startingPosition === undefined ? {} : { startingPosition: startOptions.startingPosition }),
        ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
      });
    },
  };
  return feed;
}
