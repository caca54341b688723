import * as z from 'zod/mini';
import { deadlineKinds } from './event-vocabulary.js';
import {
  agreementEntrySchema,
  agreementPhaseSchema,
  agreementSummarySchema,
  deadlineEntrySchema,
  deadlineOutcomeSchema,
  figureEntrySchema,
  talksStatusFields,
} from './talks-status-schema.js';

/**
 * The zod schemas of what a reader sees (present-status.ts builds it), apart from the code
 * that builds it: only the API's response schemas and the OpenAPI document need them, and
 * esbuild keeps zod schema construction in every bundle that imports the module.
 */
const label = z.string();
const utcTime = z.iso.datetime();
const opt = z.optional;

export const presentedDeadlineSchema = z.strictObject({
  ...deadlineEntrySchema.shape,
  /** A deadline set by someone, or one an agreement sets itself (its scheduled start and ends). */
  kind: z.enum([...deadlineKinds, 'scheduled_start', 'scheduled_end']),
  outcome: z.nullable(deadlineOutcomeSchema),
  windowEnd: utcTime,
  passed: z.boolean(),
});
export type PresentedDeadline = z.infer<typeof presentedDeadlineSchema>;

export const presentedPhaseSchema = z.strictObject({
  ...agreementPhaseSchema.shape,
  scheduledEnd: opt(utcTime),
  current: z.boolean(),
});

export const presentedAgreementSchema = z.strictObject({
  ...agreementEntrySchema.shape,
  phases: z.array(presentedPhaseSchema),
  currentPhase: opt(label),
  /** The current phase's scheduled end (before the start: the first phase's). */
  scheduledEnd: opt(utcTime),
});
export type PresentedAgreement = z.infer<typeof presentedAgreementSchema>;

export const mediationSchema = z.strictObject({
  /** The states and organizations mediating; a person mediating counts under whom it represents. */
  entities: z.array(label),
  byKind: z.strictObject({ state: z.int(), organization: z.int(), unstated: z.int() }),
  people: z.array(z.strictObject({ name: label, represents: opt(label) })),
});

const { signals: _signals, deadlines: _d, figures: _f, agreements: _a, ...shownFields } = talksStatusFields;

export const presentedStatusSchema = z.strictObject({
  ...shownFields,
  agreement: agreementSummarySchema,
  agreements: z.array(presentedAgreementSchema),
  mediators: mediationSchema,
  deadlines: z.array(presentedDeadlineSchema),
  figures: z.array(z.strictObject({ metric: label, headline: figureEntrySchema, reports: z.array(figureEntrySchema) })),
  /** The moment time-dependent things are judged at: see presentStatus. */
  judgedAt: utcTime,
  readAt: utcTime,
});
export type PresentedStatus = z.infer<typeof presentedStatusSchema>;
