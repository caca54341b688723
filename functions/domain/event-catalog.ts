import * as z from 'zod/mini';
import {
  described,
  isoDateOrTime,
  isoTime,
  name,
  names,
  participantKind,
  participantRole,
  printableJson,
  prose,
  provisionFamily,
  slug,
  termsSchema,
  text,
  timePrecision,
} from './common-schemas.js';
import {
  agreementStages,
  approvalBodies,
  approvalOutcomes,
  assessmentScale,
  correctionIssuers,
  deadlineConcerns,
  deadlineKinds,
  deadlineOutcomes,
  endings,
  releaseKinds,
  stances,
} from './event-vocabulary.js';

/**
 * The data of every event type, strict (unknown keys rejected), with its current schema
 * version. Vocabularies follow the field: PA-X provision families, CAMEO/PLOVER consult
 * kinds and stances, UCDP low/best/high figures, ETH-PRIO ceasefire dates.
 */
const reason = z.optional(prose(1000));

/** A rule between fields, with its JSON Schema form (`anyOf` of required sets) for the document. */
const oneOfRequired = (fields: readonly [string, ...string[]], message: string) =>
  [
    z.refine((value: unknown) => fields.some((f) => (value as Record<string, unknown>)[f] !== undefined), { message, path: [fields[0]] }),
    z.meta({ anyOf: fields.map((f) => ({ required: [f] })) }),
  ] as const;

const talksOpened = z.strictObject({
  title: text(200),
  subject: z.optional(prose(1000)),
  parties: names(20).check(z.minLength(1)),
  mediators: z._default(names(20), []),
  format: z.optional(z.enum(['direct', 'indirect', 'proximity'])),
  /** v2: what each named party or mediator is (state, organization, person). */
  participantKinds: z.optional(z.record(name, participantKind)),
});

const participantJoined = z.strictObject({
  name,
  role: participantRole,
  /** For an envoy or a negotiator: whom they act for ("United States"). */
  represents: z.optional(name),
  /** v2: a state, an organization or a person (a person links to whom it represents). */
  kind: z.optional(participantKind),
  note: z.optional(prose(500)),
});

const participantRoleChanged = z.strictObject({
  name,
  role: participantRole,
  note: z.optional(prose(500)),
});

const progressAssessed = z.strictObject({
  assessment: z.enum(assessmentScale),
  by: described(text(200), 'Who assessed it, as attributed'),
  summary: z.optional(prose(500)),
});

const speaker = z.strictObject({ name, role: z.optional(text(200)), affiliation: name });

const statementIssued = z.strictObject({
  speaker,
  /** The party whose position this states; defaults to the speaker's affiliation. */
  party: z.optional(name),
  stance: z.enum(stances),
  summary: prose(1000),
  quote: z.optional(prose(280)),
  modality: z._default(z.enum(['asserted', 'intended', 'hypothetical', 'negated']), 'asserted'),
});

const noStatementNoted = z.strictObject({
  party: name,
  asOf: isoTime,
  declinedToComment: z._default(z.boolean(), false),
  note: z.optional(prose(500)),
});

const deadlineSet = z.strictObject({
  due: isoDateOrTime,
  duePrecision: z._default(timePrecision, 'day'),
  kind: z.enum(deadlineKinds),
  setBy: name,
  appliesTo: prose(300),
  consequence: z.optional(prose(500)),
  /** v2: what meeting it means, so its outcome can be derived (a deal reached in time meets a "deal by" deadline). */
  concerns: z.optional(z.enum(deadlineConcerns)),
  agreementId: z.optional(slug),
});

const deadlineResolved = z.strictObject({
  /** The version of the deadline.set event it resolves. */
  deadlineVersion: z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER)),
  outcome: z.enum(deadlineOutcomes),
  newDue: z.optional(isoDateOrTime),
  note: z.optional(prose(500)),
});

const meetingHeld = z.strictObject({
  participants: names(30).check(z.minLength(1)),
  kind: z.enum(['meeting', 'call', 'visit', 'third_party', 'multilateral']),
  place: z.optional(text(200)),
  summary: z.optional(prose(1000)),
});

const proposalTabled = z.strictObject({ by: name, terms: termsSchema, summary: z.optional(prose(1000)) });

/**
 * Which agreement an event is about. Without one (every v1 event) it is the latest
 * agreement not yet over, else the latest; an agreement.reached without one starts a new
 * agreement named after its version ("a12").
 */
const agreementRef = z.optional(slug);

const agreementReached = z.strictObject({
  agreementId: agreementRef,
  name: z.optional(text(200)),
  stage: z.optional(z.enum(agreementStages)),
  terms: termsSchema,
  phases: z._default(
    z
      .array(
        z.strictObject({
          name: text(100),
          durationDays: z.optional(z.int().check(z.minimum(1), z.maximum(3650))),
          /** v2: a stated start; otherwise a phase starts when the previous one is scheduled to end. */
          startsAt: z.optional(isoTime),
          summary: z.optional(prose(1000)),
        }),
      )
      .check(z.maxLength(10)),
    [],
  ),
  signatories: z._default(names(20), []),
  announcedBy: z.optional(name),
});

const agreementTookEffect = z.strictObject({ agreementId: agreementRef, phase: z.optional(text(100)), note: z.optional(prose(500)) });

/** A cabinet's, government's, parliament's or a party leadership's decision on a deal. */
const approvalDecided = z.strictObject({
  agreementId: agreementRef,
  /** Whose decision: the party it binds ("Israel"). */
  party: name,
  body: z.enum(approvalBodies),
  /** The deciding body as reported ("Israel's government"). */
  by: z.optional(name),
  outcome: z.enum(approvalOutcomes),
  conditions: z.optional(prose(500)),
  note: z.optional(prose(500)),
});

/** When the agreement is to take effect, as announced (ETH-PRIO's declared start). */
const startAnnounced = z.strictObject({ agreementId: agreementRef, startsAt: isoTime, by: z.optional(name), note: z.optional(prose(500)) });

/** An extension moves the scheduled end of a phase: by days, or to a stated end. */
const agreementExtended = z
  .strictObject({
    agreementId: agreementRef,
    phase: z.optional(text(100)),
    days: z.optional(z.int().check(z.minimum(1), z.maximum(3650))),
    until: z.optional(isoTime),
    by: z.optional(name),
    note: z.optional(prose(500)),
  })
  .check(...oneOfRequired(['days', 'until'], 'give days or until'));

/** A violation alleged or confirmed (ETH-PRIO); `held` when the agreement held regardless. */
const agreementBreached = z.strictObject({
  agreementId: agreementRef,
  allegedBy: z.optional(name),
  against: z.optional(name),
  summary: prose(500),
  held: z._default(z.boolean(), false),
});

const agreementSuspended = z.strictObject({ agreementId: agreementRef, by: z.optional(name), reason });

/** The end of an agreement and how it came: ran out, fulfilled, ended by a party, fell apart, replaced. */
const agreementEnded = z.strictObject({
  agreementId: agreementRef,
  how: z.enum(endings),
  supersededBy: z.optional(slug),
  by: z.optional(name),
  reason,
});

const talksTransition = z.strictObject({ reason, by: z.optional(name) });

const exchangeCarriedOut = z.strictObject({
  /**
   * v2: names one exchange across reports. A second report with the same id is a competing
   * count of that exchange, kept beside the first (which stays the headline).
   */
  exchangeId: z.optional(slug),
  /** v2: the agreement it falls under; by default the one in force at the time, if any. */
  agreementId: agreementRef,
  released: z
    .array(
      z.strictObject({
        kind: z.enum(releaseKinds),
        count: z.int().check(z.minimum(0), z.maximum(1_000_000)),
        releasedBy: name,
        releasedTo: z.optional(name),
        /** v2: who they are, as reported: a nationality or a category ("Thai", "minors"). */
        group: z.optional(text(60)),
        /** v2: released outside the agreement the exchange falls under. */
        outsideAgreement: z._default(z.boolean(), false),
        /** v2: the names of those released, where publicly reported. */
        names: z.optional(names(20)),
      }),
    )
    .check(z.minLength(1), z.maxLength(20)),
  phase: z.optional(text(100)),
});

/**
 * A count or an amount, as DynamoDB can store it: 0, or from 1e-130 (its smallest magnitude)
 * up. A union, so that the OpenAPI document says so too (`anyOf` 0 or at least 1e-130).
 */
const amount = z.optional(z.union([z.literal(0), z.number().check(z.minimum(1e-130), z.maximum(1e15))]));

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
    caveat: z.optional(prose(500)),
    /** Who counted (a health ministry), kept apart from the outlet that published it. */
    originator: name,
  })
  .check(...oneOfRequired(['value', 'best'], 'either value or best is required'));

const issuedBy = z.enum(correctionIssuers);

const targetVersion = z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER));

const reportCorrected = z.strictObject({
  targetVersion,
  /** Replacement fields of the target: `data` is merged key by key into its data. */
  corrected: described(
    z
      .strictObject({
        occurredAt: z.optional(isoTime),
        reportedAt: z.optional(isoTime),
        data: z.optional(z.record(z.string(), z.unknown()).check(printableJson)),
      })
      .check(
        z.refine((c) => Object.keys(c).length > 0, { message: 'name at least one corrected field' }),
        z.meta({ minProperties: 1 }),
      ),
    'The fields of the target that change. The target must still read plausibly with all its corrections: occurredAt no later than reportedAt plus its precision window (a 400 naming the corrected field)',
  ),
  reason: prose(1000),
  issuedBy,
});

const reportRetracted = z.strictObject({
  targetVersion,
  reason: prose(1000),
  issuedBy,
});

/** Every event type: its data schema and the schema version new events are stored with. */
export const eventCatalog = {
  'talks.opened': { schemaVersion: 2, data: talksOpened },
  'participant.joined': { schemaVersion: 2, data: participantJoined },
  'participant.role_changed': { schemaVersion: 1, data: participantRoleChanged },
  'progress.assessed': { schemaVersion: 1, data: progressAssessed },
  'statement.issued': { schemaVersion: 2, data: statementIssued },
  'statement.none_noted': { schemaVersion: 1, data: noStatementNoted },
  'deadline.set': { schemaVersion: 2, data: deadlineSet },
  'deadline.resolved': { schemaVersion: 1, data: deadlineResolved },
  'meeting.held': { schemaVersion: 1, data: meetingHeld },
  'proposal.tabled': { schemaVersion: 1, data: proposalTabled },
  'agreement.reached': { schemaVersion: 2, data: agreementReached },
  'agreement.approval_decided': { schemaVersion: 1, data: approvalDecided },
  'agreement.start_announced': { schemaVersion: 1, data: startAnnounced },
  'agreement.took_effect': { schemaVersion: 2, data: agreementTookEffect },
  'agreement.extended': { schemaVersion: 1, data: agreementExtended },
  'agreement.breached': { schemaVersion: 1, data: agreementBreached },
  'agreement.suspended': { schemaVersion: 1, data: agreementSuspended },
  'agreement.ended': { schemaVersion: 1, data: agreementEnded },
  'talks.stalled': { schemaVersion: 1, data: talksTransition },
  'talks.suspended': { schemaVersion: 1, data: talksTransition },
  'talks.resumed': { schemaVersion: 1, data: talksTransition },
  'talks.collapsed': { schemaVersion: 1, data: talksTransition },
  'talks.concluded': { schemaVersion: 1, data: talksTransition },
  'exchange.carried_out': { schemaVersion: 2, data: exchangeCarriedOut },
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

export {
  agreementStages,
  approvalBodies,
  approvalOutcomes,
  assessmentScale,
  correctionIssuers,
  deadlineConcerns,
  deadlineKinds,
  deadlineOutcomes,
  endings,
  releaseKinds,
  stances,
} from './event-vocabulary.js';
export { provisionFamily };
