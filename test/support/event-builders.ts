import type { EventType } from '../../functions/domain/event-catalog.js';
import { type SubmittedEvent, submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { storeLog } from '../../harness/stored-log.js';

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

/** Stores submitted events with the store's own stamping (harness/stored-log.ts), without DynamoDB. */
export const storeAll = storeLog;
