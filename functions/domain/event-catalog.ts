import * as z from 'zod/mini';
import {
  described,
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
const reason = z.optional(text(1000));

const talksOpened = z.strictObject({
  title: text(200),
  subject: z.optional(text(1000)),
  parties: names(20).check(z.minLength(1)),
  mediators: z._default(names(20), []),
  format: z.optional(z.enum(['direct', 'indirect', 'proximity'])),
});

const participantJoined = z.strictObject({
  name,
  role: participantRole,
  /** For an envoy or a negotiator: whom they act for ("United States"). */
  represents: z.optional(name),
  note: z.optional(text(500)),
});

const participantRoleChanged = z.strictObject({
  name,
  role: participantRole,
  note: z.optional(text(500)),
});

export const assessmentScale = ['breakthrough', 'significant_progress', 'some_progress', 'no_change', 'difficulties', 'setback'] as const;

const progressAssessed = z.strictObject({
  assessment: z.enum(assessmentScale),
  by: described(text(200), 'Who assessed it, as attributed'),
  summary: z.optional(text(500)),
});

export const stances = ['supportive', 'optimistic', 'neutral', 'cautious', 'pessimistic', 'opposed'] as const;

const speaker = z.strictObject({ name, role: z.optional(text(200)), affiliation: name });

const statementIssued = z.strictObject({
  speaker,
  /** The party whose position this states; defaults to the speaker's affiliation. */
  party: z.optional(name),
  stance: z.enum(stances),
  summary: text(1000),
  quote: z.optional(text(280)),
  modality: z._default(z.enum(['asserted', 'intended', 'hypothetical', 'negated']), 'asserted'),
});

const noStatementNoted = z.strictObject({
  party: name,
  asOf: isoTime,
  declinedToComment: z._default(z.boolean(), false),
  note: z.optional(text(500)),
});

const deadlineSet = z.strictObject({
  due: isoDateOrTime,
  duePrecision: z._default(timePrecision, 'day'),
  kind: z.enum(['aspiration', 'target', 'ultimatum']),
  setBy: name,
  appliesTo: text(300),
  consequence: z.optional(text(500)),
});

const meetingHeld = z.strictObject({
  participants: names(30).check(z.minLength(1)),
  kind: z.enum(['meeting', 'call', 'visit', 'third_party', 'multilateral']),
  place: z.optional(text(200)),
  summary: z.optional(text(1000)),
});

const proposalTabled = z.strictObject({ by: name, terms: termsSchema, summary: z.optional(text(1000)) });

const agreementReached = z.strictObject({
  terms: termsSchema,
  phases: z._default(
    z
      .array(
        z.strictObject({
          name: text(100),
          durationDays: z.optional(z.int().check(z.minimum(1), z.maximum(3650))),
          summary: z.optional(text(1000)),
        }),
      )
      .check(z.maxLength(10)),
    [],
  ),
  signatories: z._default(names(20), []),
  announcedBy: z.optional(name),
});

const agreementTookEffect = z.strictObject({ phase: z.optional(text(100)), note: z.optional(text(500)) });

const talksTransition = z.strictObject({ reason, by: z.optional(name) });

const exchangeCarriedOut = z.strictObject({
  released: z
    .array(
      z.strictObject({
        kind: z.enum(['hostage', 'prisoner', 'detainee', 'remains']),
        count: z.int().check(z.minimum(0), z.maximum(1_000_000)),
        releasedBy: name,
        releasedTo: z.optional(name),
      }),
    )
    .check(z.minLength(1), z.maxLength(20)),
  phase: z.optional(text(100)),
});

const amount = z.optional(z.number().check(z.minimum(0), z.maximum(1e15)));

const figureReported = z
  .strictObject({
    metric: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,79}$/, 'snake_case metric name')),
    label: z.optional(text(200)),
    value: amount,
    low: amount,
    best: amount,
    high: amount,
    unit: text(50),
    qualifier: z.enum(['exact', 'about', 'at_least', 'more_than', 'up_to', 'fewer_than']),
    asOf: z.optional(isoDateOrTime),
    caveat: z.optional(text(500)),
    /** Who counted (a health ministry), kept apart from the outlet that published it. */
    originator: name,
  })
  .check(z.refine((f) => f.value !== undefined || f.best !== undefined, { message: 'either value or best is required', path: ['value'] }));

const issuedBy = z.enum(['source', 'submitter', 'editor']);

const targetVersion = z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER));

const reportCorrected = z.strictObject({
  targetVersion,
  /** Replacement fields of the target: `data` is merged key by key into its data. */
  corrected: z
    .strictObject({
      occurredAt: z.optional(isoTime),
      reportedAt: z.optional(isoTime),
      data: z.optional(z.record(z.string(), z.unknown())),
    })
    .check(z.refine((c) => Object.keys(c).length > 0, { message: 'name at least one corrected field' })),
  reason: text(1000),
  issuedBy,
});

const reportRetracted = z.strictObject({
  targetVersion,
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
export const isRevisionType = (type: EventType): type is RevisionType => type === 'report.corrected' || type === 'report.retracted';

export { provisionFamily };
