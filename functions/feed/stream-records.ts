import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredEvent } from '../domain/submitted-event.js';
import { fromEventItem } from '../store/item-keys.js';

/** The part of a DynamoDB stream record the consumer reads (Lambda's and DynamoDB Streams' shapes alike). */
export interface StreamRecordLike {
  readonly eventName?: string;
  readonly dynamodb?: { readonly NewImage?: Record<string, unknown>; readonly SequenceNumber?: string };
}

/**
 * The stored events among stream records: inserts of `kind: "event"` items. The Events
 * table also holds idempotency records, which downstream paths never see; items are only
 * ever put once, so anything but an INSERT is not an event being stored.
 */
export function storedEventOf(record: StreamRecordLike): StoredEvent | undefined {
  if (record.eventName !== 'INSERT' || record.dynamodb?.NewImage === undefined) return undefined;
  const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
  if (item.kind !== 'event') return undefined;
  return fromEventItem(item);
}

export const storedEventsOf = (records: readonly StreamRecordLike[]): StoredEvent[] =>
  records.map(storedEventOf).filter((e): e is StoredEvent => e !== undefined);
