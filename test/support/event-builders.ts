import type { EventType } from '../../functions/domain/event-catalog.js';
import { type SubmittedEvent, submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { storeLog } from '../../harness/stored-log.js';

export const reportedAt = '2025-01-13T12:00:00.000Z';
export const nbc = { name: 'NBC News', anonymous: false };

/** A submitted event, parsed by the real schema (so defaults and normalisation apply). */
export function submitted(type: EventType, data: Record<string, unknown>, envelope: Record<string, unknown> = {}): SubmittedEvent {
  return submittedEventSchema.parse({ type, reportedAt, source: nbc, data, ...envelope }) as SubmittedEvent;
}

export const opened = (envelope: Record<string, unknown> = {}) =>
  submitted('talks.opened', { title: 'Test talks', parties: ['Israel', 'Hamas'], mediators: ['Qatar'] }, envelope);

/** Stores submitted events with the store's own stamping (harness/stored-log.ts), without DynamoDB. */
export const storeAll = storeLog;
