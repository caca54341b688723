import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { Log } from '../http/http-settings.js';
import type { ConsumeReport, FeedConsumer } from './feed-consumer.js';
import { feedMetricNames } from './feed-metrics.js';
import { storedEventOf, storedEventsOf } from './stream-records.js';

/** What the schedule sends (lib/talks-feed.ts): sweep every talks behind its checkpoint. */
export interface SweepRequest {
  readonly sweep: true;
}

type Metric = (name: string, value: number, unit: 'Count' | 'Milliseconds') => void;

const count = (metric: Metric | undefined, report: ConsumeReport) => {
  metric?.(feedMetricNames.changesDelivered, report.delivered, 'Count');
  metric?.(feedMetricNames.changesReplayed, report.replayed, 'Count');
  metric?.(feedMetricNames.feedFailures, report.failed.size, 'Count');
};

/**
 * The Lambda side of the consumer. A stream batch reports the first record of any talks it
 * could not fully hand over as the batch item failure: Lambda retries from that record
 * (bisecting on errors, a bounded number of times, then the batch goes to the DLQ), and
 * the checkpoints turn what is read again into dropped duplicates.
 */
export function feedConsumerHandler(consumer: FeedConsumer, log: Log, metric?: Metric) {
  return async (event: { Records: DynamoDBRecord[] } | SweepRequest): Promise<DynamoDBBatchResponse> => {
    if (!('Records' in event)) {
      const report = await consumer.sweep();
      count(metric, report);
      // A sweep that left a talks behind fails the invocation: the Errors alarm says so.
      if (report.failed.size > 0) throw new Error(`sweep: ${report.failed.size} talks not caught up`);
      return { batchItemFailures: [] };
    }
    const report = await consumer.consume(storedEventsOf(event.Records));
    count(metric, report);
    if (report.failed.size === 0) return { batchItemFailures: [] };
    const first = event.Records.filter((r) => {
      const talksId = storedEventOf(r)?.talksId;
      return talksId !== undefined && report.failed.has(talksId);
    }).sort((a, b) => compareSequence(a.dynamodb?.SequenceNumber, b.dynamodb?.SequenceNumber))[0];
    log({ level: 'warn', message: 'feed: batch partly handed over', failedTalks: [...report.failed.keys()] });
    const id = first?.dynamodb?.SequenceNumber;
    return { batchItemFailures: id === undefined ? [] : [{ itemIdentifier: id }] };
  };
}

/** Sequence numbers are decimal strings longer than a double holds. */
const compareSequence = (a: string | undefined, b: string | undefined): number => {
  const x = BigInt(a ?? '0');
  const y = BigInt(b ?? '0');
  return x < y ? -1 : x > y ? 1 : 0;
};
