import * as z from 'zod/mini';
import { talksIdSchema } from '../domain/common-schemas.js';
import { eventTypes } from '../domain/event-catalog.js';

export const subscriptionIdSchema = z.string().check(z.regex(/^sub_[0-9a-f-]{36}$/));

/** POST /subscriptions: where to send, and optionally which talks and which event types. */
export const subscriptionRequestSchema = z.strictObject({
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
  talksIds: z.optional(z.array(talksIdSchema).check(z.minLength(1), z.maxLength(100))),
  types: z.optional(z.array(z.enum(eventTypes as [string, ...string[]])).check(z.minLength(1), z.maxLength(eventTypes.length))),
});
export type SubscriptionRequest = z.infer<typeof subscriptionRequestSchema>;

export const subscriptionStates = ['active', 'paused', 'deleted'] as const;

/** A subscription as the API shows it; the secret only in the 201 that creates it. */
export const subscriptionSchema = z.object({
  subscriptionId: z.string(),
  url: z.string(),
  talksIds: z.nullable(z.array(z.string())),
  types: z.nullable(z.array(z.string())),
  state: z.enum(subscriptionStates),
  createdAt: z.string(),
  /** While paused, deliveries wait and one probe is sent per probe interval; a success resumes. */
  pausedAt: z.optional(z.string()),
});

export const createdSubscriptionSchema = z.object({
  ...subscriptionSchema.shape,
  /** The Standard Webhooks signing secret (`whsec_...`): shown once, never again. */
  secret: z.string(),
});

export const deliveryOutcomes = ['delivered', 'failed', 'dead-lettered'] as const;

export const deliveryAttemptSchema = z.object({
  /** The `webhook-id` header: the same for every attempt at one change. */
  webhookId: z.string(),
  talksId: z.string(),
  version: z.number(),
  type: z.string(),
  attempt: z.number(),
  attemptedAt: z.string(),
  outcome: z.enum(deliveryOutcomes),
  /** The receiver's HTTP status, when it answered. */
  statusCode: z.optional(z.number()),
  error: z.optional(z.string()),
  durationMs: z.optional(z.number()),
  /** When the next attempt is due (failed only). */
  nextAttemptAt: z.optional(z.string()),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

export const deliveriesPageSchema = z.object({ subscription: subscriptionSchema, items: z.array(deliveryAttemptSchema) });
