import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { ConsumeReport, FeedConsumer } from '../../functions/feed/feed-consumer.js';
import { storedEventsOf } from '../../functions/feed/stream-records.js';
import type { DynamoDbCredentials } from './dynamodb-local.js';
import { localRegion } from './dynamodb-local.js';

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly credentials: DynamoDbCredentials;
  readonly eventsTable: string;
  readonly consumer: FeedConsumer;
  /**
   * Where a shard seen for the first time is read from. TRIM_HORIZON (the default) reads
   * every record the stream still keeps, which the checkpoints turn into duplicates to drop;
   * LATEST skips them, as a consumer back after the stream's retention would find them gone
   * (the start-up sweep and gap detection then fill in from the log).
   */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Pause between polls of an idle shard; bounds the latency the local feed adds. */
  readonly idleMs?: number;
  readonly log?: (line: string) => void;
  /** After each batch handed to the consumer (tests and the bench watch it). */
  readonly onBatch?: (report: ConsumeReport) => void;
}

export interface StreamPoller {
  stop(): Promise<void>;
}

/**
 * The local server's event source mapping: it reads DynamoDB Local's stream of the Events
 * table shard by shard (a child only once its parent is read to its end, as Lambda does)
 * and hands each batch to the same FeedConsumer the Lambda runs. A batch the consumer could
 * not fully hand over is read again from the same iterator after a backoff (the
 * checkpoints drop what was already handed over), as Lambda retries a failed batch.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const log = options.log ?? (() => {});
  const idleMs = options.idleMs ?? 50;
  const clientConfig = {
    endpoint: options.endpoint,
    region: localRegion,
    credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey },
  };
  const dynamo = new DynamoDBClient(clientConfig);
  // Bounded, so that a DynamoDB Local that stops answering never holds up a stop.
  const streams = new DynamoDBStreamsClient({
    ...clientConfig,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
  });
  const table = await dynamo.send(new DescribeTableCommand({ TableName: options.eventsTable }));
  dynamo.destroy();
  const streamArn = table.Table?.LatestStreamArn;
  if (streamArn === undefined) throw new Error(`Table ${options.eventsTable} has no stream: it needs a StreamSpecification`);

  // A stop ends any wait at once.
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  let stopped = false;

  const discover = async (): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ...(start === undefined ? {} : { ExclusiveStartShardId: start }) }),
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return shards;
  };

  const readable = (shard: Shard, known: ReadonlySet<string>) =>
    shard.ShardId !== undefined &&
    !finished.has(shard.ShardId) &&
    (shard.ParentShardId === undefined || !known.has(shard.ParentShardId) || finished.has(shard.ParentShardId));

  const pollShard = async (shardId: string, firstSeen: boolean): Promise<boolean> => {
    let iterator = iterators.get(shardId);
    if (iterator === undefined) {
      const type = firstSeen ? (options.startingPosition ?? 'TRIM_HORIZON') : 'TRIM_HORIZON';
      const answer = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type }));
      iterator = answer.ShardIterator;
      if (iterator === undefined) {
        finished.add(shardId);
        return false;
      }
    }
    let page: GetRecordsCommandOutput;
    try {
      page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
    } catch (error) {
      // An iterator taken on an empty shard, or one kept too long, is refused: take a new one
      // from the oldest record still kept (the checkpoints drop what was already handed over).
      const name = (error as Error).name;
      if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
      iterators.delete(shardId);
      return false;
    }
    const records = page.Records ?? [];
    const events = storedEventsOf(records);
    if (events.length > 0) {
      const report = await options.consumer.consume(events);
      options.onBatch?.(report);
      if (report.failed.size > 0) {
        // Keep the iterator: the same records are read again after the backoff.
        iterators.set(shardId, iterator);
        throw new Error(`feed: ${report.failed.size} talks not handed over; retrying the batch`);
      }
    }
    if (page.NextShardIterator === undefined) {
      finished.add(shardId);
      iterators.delete(shardId);
    } else iterators.set(shardId, page.NextShardIterator);
    return records.length > 0;
  };

  const seenShards = new Set<string>();
  let initialShards = true;
  // DescribeStream is not asked at every poll: only every second, or when a shard ended.
  let shards: Shard[] = [];
  let discoveredAt = 0;
  const loop = async () => {
    let backoffMs = 0;
    while (!stopped) {
      try {
        if (Date.now() - discoveredAt > 1_000 || shards.every((s) => finished.has(s.ShardId ?? ''))) {
          shards = await discover();
          discoveredAt = Date.now();
        }
        const known = new Set(shards.map((s) => s.ShardId ?? ''));
        let busy = false;
        for (const shard of shards) {
          if (stopped || !readable(shard, known)) continue;
          const id = shard.ShardId as string;
          // Only the shards open when the poller started may start at LATEST; later ones are new data.
          const firstSeen = initialShards && !seenShards.has(id);
          seenShards.add(id);
          if (await pollShard(id, firstSeen)) busy = true;
        }
        initialShards = false;
        backoffMs = 0;
        if (!busy) await sleep(idleMs);
      } catch (error) {
        backoffMs = Math.min(5_000, Math.max(100, backoffMs * 2));
        log(`feed: stream poll failed (${(error as Error).message}); again in ${backoffMs} ms`);
        await sleep(backoffMs);
      }
    }
  };
  // A LATEST start takes its iterators before it returns: taken lazily by the loop, a change
  // appended right after start() resolved could fall before the iterator and be missed.
  if (options.startingPosition === 'LATEST') {
    shards = await discover();
    discoveredAt = Date.now();
    const known = new Set(shards.map((s) => s.ShardId ?? ''));
    for (const shard of shards) {
      if (!readable(shard, known)) continue;
      const id = shard.ShardId as string;
      seenShards.add(id);
      const answer = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: 'LATEST' }));
      if (answer.ShardIterator === undefined) finished.add(id);
      else iterators.set(id, answer.ShardIterator);
    }
    initialShards = false;
  }
  const running = loop();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
      streams.destroy();
    },
  };
}
