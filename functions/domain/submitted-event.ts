import * as z from 'zod';
import { isoTime, sourceSchema, timePrecision } from './common-schemas.js';
import { eventCatalog, eventTypes, type EventData, type EventType } from './event-catalog.js';

/** Fields every event carries whatever its type: the three times and the source. */
const envelopeFields = {
  eventId: z.uuid().optional().describe('Client-chosen idempotency key'),
  occurredAt: isoTime.optional().describe('When it happened (valid time)'),
  occurredPrecision: timePrecision.optional(),
  reportedAt: isoTime.describe('When the source published it'),
  source: sourceSchema,
};

const variants = eventTypes.map((type) =>
  z.strictObject({ ...envelopeFields, type: z.literal(type), data: eventCatalog[type].data }),
);

/** One submitted event; `type` picks the data schema. */
export const submittedEventSchema = z.discriminatedUnion(
  'type',
  variants as unknown as [(typeof variants)[number], ...(typeof variants)[number][]],
);

export const maxEventsPerSubmission = 25;

/** A submission body: one event, or `{ "events": [...] }` with 1 to 25 of them. */
export const batchSchema = z.strictObject({
  events: z.array(z.unknown()).min(1).max(maxEventsPerSubmission),
});

type Envelope = z.output<z.ZodObject<typeof envelopeFields>>;

export type SubmittedEvent = {
  [T in EventType]: Envelope & { type: T; data: EventData<T> };
}[EventType];

/** The server-side facts added to a submitted event when it is stored. */
export interface StoredFacts {
  talksId: string;
  version: number;
  eventId: string;
  recordedAt: string;
  recordedBy: string;
  schemaVersion: number;
  prevHash: string;
  hash: string;
}

export type StoredEvent = SubmittedEvent & StoredFacts;
export type StoredEventOf<T extends EventType> = Extract<StoredEvent, { type: T }>;

/** Valid time when given; otherwise the report's time is the best we know. */
export const validTimeOf = (event: Pick<StoredEvent, 'occurredAt' | 'reportedAt'>): string =>
  event.occurredAt ?? event.reportedAt;
