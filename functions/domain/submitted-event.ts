import * as z from 'zod/mini';
import { described, isoTime, precisionEnd, sourceSchema, timePrecision } from './common-schemas.js';
import { type EventData, type EventType, eventCatalog, eventTypes } from './event-catalog.js';
import { maxEventsPerSubmission } from './submission-limits.js';

export { maxEventsPerSubmission };

/** Fields every event carries whatever its type: the three times and the source. */
const envelopeFields = {
  /**
   * A UUID names the same id in either case (RFC 9562): lowercased before it becomes a key, so
   * a resend in upper case is a replay, not a second event.
   */
  eventId: z.optional(
    described(z.uuid().check(z.toLowerCase()), 'Client-chosen idempotency key (a UUID, in either case; stored in lower case)'),
  ),
  occurredAt: z.optional(
    described(isoTime, 'When it happened (valid time); no later than reportedAt plus its precision window (a 400 otherwise)'),
  ),
  occurredPrecision: z.optional(timePrecision),
  reportedAt: described(isoTime, 'When the source published it'),
  source: sourceSchema,
};

/**
 * A development cannot have happened after it was reported: `occurredAt` (the start of its
 * precision window) may be later than `reportedAt` by at most that window ("by the end of
 * the week", reported on Monday, may start on Tuesday). Otherwise a claim dated years ahead
 * would outweigh every real development in the valid-time order.
 */
export const isPlausible = (e: {
  occurredAt?: string | undefined;
  occurredPrecision?: string | undefined;
  reportedAt: string;
}): boolean => {
  if (e.occurredAt === undefined) return true;
  const start = new Date(e.occurredAt);
  // A time that does not parse has its own error, naming its own field.
  if (Number.isNaN(start.getTime()) || Number.isNaN(Date.parse(e.reportedAt))) return true;
  const window = precisionEnd[(e.occurredPrecision ?? 'instant') as keyof typeof precisionEnd];
  return window(start).getTime() - start.getTime() + Date.parse(e.reportedAt) >= start.getTime();
};

const plausibleTimes = z.refine((e: unknown) => isPlausible(e as Parameters<typeof isPlausible>[0]), {
  message: 'occurredAt is later than reportedAt by more than its precision window: a development cannot happen after it was reported',
  path: ['occurredAt'],
  // Only between valid times: a time refused on its own (Date.parse is lenient) names its own field alone.
  when: (payload) => !payload.issues.some((issue) => ['occurredAt', 'occurredPrecision', 'reportedAt'].includes(String(issue.path?.[0]))),
});

/** One strict object per event type; the OpenAPI document names each. */
export const submittedEventVariants = eventTypes.map((type) =>
  z.strictObject({ ...envelopeFields, type: z.literal(type), data: eventCatalog[type].data }).check(plausibleTimes),
);

/** One submitted event; `type` picks the data schema. */
export const submittedEventSchema = z.discriminatedUnion(
  'type',
  submittedEventVariants as unknown as [(typeof submittedEventVariants)[number], ...(typeof submittedEventVariants)[number][]],
);

/** A submission body: one event, or `{ "events": [...] }` with 1 to 25 of them. */
export const batchSchema = z.strictObject({
  events: z.array(z.unknown()).check(z.minLength(1), z.maxLength(maxEventsPerSubmission)),
});

type Envelope = z.output<z.ZodMiniObject<typeof envelopeFields>>;

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

export { validTimeOf } from './valid-time.js';
