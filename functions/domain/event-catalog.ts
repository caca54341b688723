import * as z from 'zod';
import {
  isoDateOrTime,
  isoTime,
  name,
  names,
  participantRole,
  provisionFamily,
  termsSchema,
  text,
  timePrecision,
} from './common-schemas.js';

/**
 * The data of every event type, strict (unknown keys rejected), with its current schema
 * version. Vocabularies follow the field: PA-X provision families, CAMEO/PLOVER consult
 * kinds and stances, UCDP low/best/high figures, ETH-PRIO ceasefire dates.
 */
const reason = text(1000).optional();

const talksOpened = z.strictObject({
  title: text(200),
  subject: text(1000).optional(),
  parties: names(20).min(1),
  mediators: names(20).default([]),
  format: z.enum(['direct', 'indirect', 'proximity']).optional(),
});

const participantJoined = z.strictObject({
  name,
  role: participantRole,
  /** For an envoy or a negotiator: whom they act for ("United States"). */
  represents: name.optional(),
  note: text(500).optional(),
});

const participantRoleChanged = z.strictObject({
  name,
  role: participantRole,
  note: text(500).optional(),
});

export const assessmentScale = [
  'breakthrough',
  'significant_progress',
  'some_progress',
  'no_change',
  'difficulties',
  'setback',
] as const;

const progressAssessed = z.strictObject({
  assessment: z.enum(assessmentScale),
  by: text(200).describe('Who assessed it, as attributed'),
  summary: text(500).optional(),
});

export const stances = ['supportive', 'optimistic', 'neutral', 'cautious', 'pessimistic', 'opposed'] as const;

const speaker = z.strictObject({ name, role: text(200).optional(), affiliation: name });

const statementIssued = z.strictObject({
  speaker,
  /** The party whose position this states; defaults to the speaker's affiliation. */
  party: name.optional(),
  stance: z.enum(stances),
  summary: text(1000),
  quote: text(280).optional(),
  modality: z.enum(['asserted', 'intended', 'hypothetical', 'negated']).default('asserted'),
});

const noStatementNoted = z.strictObject({
  party: name,
  asOf: isoTime,
  declinedToComment: z.boolean().default(false),
  note: text(500).optional(),
});

const deadlineSet = z.strictObject({
  due: isoDateOrTime,
  duePrecision: timePrecision.default('day'),
  kind: z.enum(['aspiration', 'target', 'ultimatum']),
  setBy: name,
  appliesTo: text(300),
  consequence: text(500).optional(),
});

const meetingHeld = z.strictObject({
  participants: names(30).min(1),
  kind: z.enum(['meeting', 'call', 'visit', 'third_party', 'multilateral']),
  place: text(200).optional(),
  summary: text(1000).optional(),
});

const proposalTabled = z.strictObject({ by: name, terms: termsSchema, summary: text(1000).optional() });

const agreementReached = z.strictObject({
  terms: termsSchema,
  phases: z
    .array(z.strictObject({ name: text(100), durationDays: z.int().min(1).max(3650).optional(), summary: text(1000).optional() }))
    .max(10)
    .default([]),
  signatories: names(20).default([]),
  announcedBy: name.optional(),
});

const agreementTookEffect = z.strictObject({ phase: text(100).optional(), note: text(500).optional() });

const talksTransition = z.strictObject({ reason, by: name.optional() });

const exchangeCarriedOut = z.strictObject({
  released: z
    .array(
      z.strictObject({
        kind: z.enum(['hostage', 'prisoner', 'detainee', 'remains']),
        count: z.int().min(0).max(1_000_000),
        releasedBy: name,
        releasedTo: name.optional(),
      }),
    )
    .min(1)
    .max(20),
  phase: text(100).optional(),
});

const figureReported = z
  .strictObject({
    metric: z.string().regex(/^[a-z][a-z0-9_]{0,79}$/, 'snake_case metric name'),
    label: text(200).optional(),
    value: z.number().finite().min(0).max(1e15).optional(),
    low: z.number().finite().min(0).max(1e15).optional(),
    best: z.number().finite().min(0).max(1e15).optional(),
    high: z.number().finite().min(0).max(1e15).optional(),
    unit: text(50),
    qualifier: z.enum(['exact', 'about', 'at_least', 'more_than', 'up_to', 'fewer_than']),
    asOf: isoDateOrTime.optional(),
    caveat: text(500).optional(),
    /** Who counted (a health ministry), kept apart from the outlet that published it. */
    originator: name,
  })
  .refine((f) => f.value !== undefined || f.best !== undefined, {
    message: 'either value or best is required',
    path: ['value'],
  });

const issuedBy = z.enum(['source', 'submitter', 'editor']);

const reportCorrected = z.strictObject({
  targetVersion: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** Replacement fields of the target: `data` is merged key by key into its data. */
  corrected: z
    .strictObject({
      occurredAt: isoTime.optional(),
      reportedAt: isoTime.optional(),
      data: z.record(z.string(), z.unknown()).optional(),
    })
    .refine((c) => Object.keys(c).length > 0, { message: 'name at least one corrected field' }),
  reason: text(1000),
  issuedBy,
});

const reportRetracted = z.strictObject({
  targetVersion: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  reason: text(1000),
  issuedBy,
});

/** Every event type: its data schema and the schema version new events are stored with. */
export const eventCatalog = {
  'talks.opened': { schemaVersion: 1, data: talksOpened },
  'participant.joined': { schemaVersion: 1, data: participantJoined },
  'participant.role_changed': { schemaVersion: 1, data: participantRoleChanged },
  'progress.assessed': { schemaVersion: 1, data: progressAssessed },
  'statement.issued': { schemaVersion: 2, data: statementIssued },
  'statement.none_noted': { schemaVersion: 1, data: noStatementNoted },
  'deadline.set': { schemaVersion: 1, data: deadlineSet },
  'meeting.held': { schemaVersion: 1, data: meetingHeld },
  'proposal.tabled': { schemaVersion: 1, data: proposalTabled },
  'agreement.reached': { schemaVersion: 1, data: agreementReached },
  'agreement.took_effect': { schemaVersion: 1, data: agreementTookEffect },
  'talks.stalled': { schemaVersion: 1, data: talksTransition },
  'talks.suspended': { schemaVersion: 1, data: talksTransition },
  'talks.resumed': { schemaVersion: 1, data: talksTransition },
  'talks.collapsed': { schemaVersion: 1, data: talksTransition },
  'talks.concluded': { schemaVersion: 1, data: talksTransition },
  'exchange.carried_out': { schemaVersion: 1, data: exchangeCarriedOut },
  'figure.reported': { schemaVersion: 1, data: figureReported },
  'report.corrected': { schemaVersion: 1, data: reportCorrected },
  'report.retracted': { schemaVersion: 1, data: reportRetracted },
} as const;

export type EventType = keyof typeof eventCatalog;
export const eventTypes = Object.keys(eventCatalog) as EventType[];

export type EventData<T extends EventType> = z.output<(typeof eventCatalog)[T]['data']>;

export const isEventType = (value: string): value is EventType => Object.hasOwn(eventCatalog, value);

export const revisionTypes = ['report.corrected', 'report.retracted'] as const;
export type RevisionType = (typeof revisionTypes)[number];
export const isRevisionType = (type: EventType): type is RevisionType =>
  type === 'report.corrected' || type === 'report.retracted';

export { provisionFamily };
