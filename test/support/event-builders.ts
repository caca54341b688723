import { randomUUID } from 'node:crypto';
import { type EventType, eventCatalog } from '../../functions/domain/event-catalog.js';
import { genesisHash, hashEvent } from '../../functions/domain/hash-chain.js';
import { type StoredEvent, type SubmittedEvent, submittedEventSchema } from '../../functions/domain/submitted-event.js';

export const reportedAt = '2025-01-13T12:00:00.000Z';
export const nbc = { name: 'NBC News', anonymous: false };

/**
 * A submitted event, parsed by the real schema (so defaults and normalisation apply). A
 * development cannot be reported before it happened: without a reportedAt, one dated after
 * the default report time is reported when it happened.
 */
export function submitted(type: EventType, data: Record<string, unknown>, envelope: Record<string, unknown> = {}): SubmittedEvent {
  const occurredAt = typeof envelope.occurredAt === 'string' ? envelope.occurredAt : undefined;
  const reported = occurredAt !== undefined && Date.parse(occurredAt) > Date.parse(reportedAt) ? occurredAt : reportedAt;
  return submittedEventSchema.parse({ type, reportedAt: reported, source: nbc, data, ...envelope }) as SubmittedEvent;
}

export const opened = (envelope: Record<string, unknown> = {}) =>
  submitted('talks.opened', { title: 'Test talks', parties: ['Israel', 'Hamas'], mediators: ['Qatar'] }, envelope);

/**
 * Stores submitted events the way the store does (versions, hash chain, recordedAt),
 * without DynamoDB: for pure tests of projection and audit rules.
 */
export function storeAll(
  talksId: string,
  events: readonly SubmittedEvent[],
  options: { recordedAt?: (i: number) => string; startVersion?: number; prevHash?: string } = {},
): StoredEvent[] {
  let prevHash = options.prevHash ?? genesisHash;
  const start = options.startVersion ?? 1;
  return events.map((event, i) => {
    const withoutHash = {
      ...event,
      eventId: event.eventId ?? randomUUID(),
      talksId,
      version: start + i,
      recordedAt: options.recordedAt?.(i) ?? new Date(Date.UTC(2025, 0, 13, 12, 0, i)).toISOString(),
      recordedBy: 'test',
      schemaVersion: eventCatalog[event.type].schemaVersion,
      prevHash,
    };
    const stored = { ...withoutHash, hash: hashEvent(withoutHash) } as StoredEvent;
    prevHash = stored.hash;
    return stored;
  });
}
