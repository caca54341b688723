import * as z from 'zod/mini';
import { participantKind, participantRole, termsSchema, timePrecision } from './common-schemas.js';
import { type EventType, eventTypes } from './event-catalog.js';
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
import { agreementStates, negotiationPhases, phases, stepKinds } from './talks-status.js';

/**
 * The status's zod schemas, apart from the fold's constants and helpers (talks-status.ts):
 * esbuild keeps zod schema construction in every bundle that imports the module, and only
 * the API's response schemas and the OpenAPI document need them. The fold's types are
 * inferred from here and reach it as type-only exports, which bundles drop.
 */
const label = z.string();
/** Times are ISO-8601 in UTC (the catalog normalised them). */
const utcTime = z.iso.datetime();
const version = z.int().check(z.minimum(1));
const count = z.int().check(z.minimum(0));
const opt = z.optional;

/**
 * What every dated entry carries: the development it comes from (its version in the log,
 * where the full source and any correction are) and when that happened (valid time).
 */
const dated = { version, at: utcTime };
/** A dated entry and the outlet that reported it (the source's name). */
const reported = { ...dated, source: label };
/** A dated entry that momentum weighs: on the record counts more than anonymous. */
const weighed = { ...dated, onRecord: z.boolean() };

export const sourceRefSchema = z.strictObject({ name: label, attribution: opt(label), anonymous: z.boolean(), url: opt(label) });
export type SourceRef = z.infer<typeof sourceRefSchema>;

/** What a correction changed: the original values of the corrected fields, and why. */
export const correctionNoteSchema = z.strictObject({
  version,
  reason: label,
  issuedBy: z.enum(correctionIssuers),
  original: z.record(z.string(), z.unknown()),
});
export type CorrectionNote = z.infer<typeof correctionNoteSchema>;
const corrections = opt(z.array(correctionNoteSchema));

export const assessmentEntrySchema = z.strictObject({ ...weighed, assessment: z.enum(assessmentScale), by: label });
export type AssessmentEntry = z.infer<typeof assessmentEntrySchema>;

/** A development other than an assessment that moves momentum (see momentumRule.signals). */
export const signalEntrySchema = z.strictObject({ ...weighed, signal: label, score: z.number() });
export type SignalEntry = z.infer<typeof signalEntrySchema>;

export const participantEntrySchema = z.strictObject({
  name: label,
  role: participantRole,
  kind: opt(participantKind),
  represents: opt(label),
  since: utcTime,
  version,
});
export type ParticipantEntry = z.infer<typeof participantEntrySchema>;

export const deadlineOutcomeSchema = z.strictObject({
  value: z.enum(deadlineOutcomes),
  at: opt(utcTime),
  derived: z.boolean(),
  version: opt(version),
  note: opt(label),
});
export type DeadlineOutcome = z.infer<typeof deadlineOutcomeSchema>;

export const deadlineEntrySchema = z.strictObject({
  version,
  due: utcTime,
  duePrecision: timePrecision,
  kind: z.enum(deadlineKinds),
  setBy: label,
  appliesTo: label,
  consequence: opt(label),
  concerns: opt(z.enum(deadlineConcerns)),
  agreementId: opt(label),
  /** An outcome recorded by deadline.resolved; derived outcomes are added when presented. */
  outcome: opt(deadlineOutcomeSchema),
});
export type DeadlineEntry = z.infer<typeof deadlineEntrySchema>;

export const positionEntrySchema = z.strictObject({
  party: label,
  ...dated,
  kind: z.enum(['statement', 'no_statement', 'decision']),
  speaker: opt(z.strictObject({ name: label, role: opt(label), affiliation: label })),
  stance: opt(z.enum(stances)),
  summary: opt(label),
  quote: opt(label),
  declinedToComment: opt(z.boolean()),
  /** For a decision on a deal: which agreement, which body, what it decided. */
  decision: opt(z.strictObject({ agreementId: label, body: z.enum(approvalBodies), outcome: z.enum(approvalOutcomes) })),
  source: sourceRefSchema,
});
export type PositionEntry = z.infer<typeof positionEntrySchema>;

export const figureEntrySchema = z.strictObject({
  version,
  metric: label,
  label: opt(label),
  value: opt(z.number()),
  low: opt(z.number()),
  best: opt(z.number()),
  high: opt(z.number()),
  unit: label,
  qualifier: label,
  asOf: opt(utcTime),
  caveat: opt(label),
  originator: label,
  publisher: label,
  reportedAt: utcTime,
  corrections,
});
export type FigureEntry = z.infer<typeof figureEntrySchema>;

export const proposalEntrySchema = z.strictObject({ ...dated, by: label, families: z.array(label), summary: opt(label) });
export type ProposalEntry = z.infer<typeof proposalEntrySchema>;

export const agreementStepSchema = z.strictObject({ ...reported, step: z.enum(stepKinds), by: opt(label), note: opt(label) });
export type AgreementStep = z.infer<typeof agreementStepSchema>;

export const approvalEntrySchema = z.strictObject({
  ...reported,
  party: label,
  body: z.enum(approvalBodies),
  by: opt(label),
  outcome: z.enum(approvalOutcomes),
  conditions: opt(label),
  note: opt(label),
});
export type ApprovalEntry = z.infer<typeof approvalEntrySchema>;

export const extensionEntrySchema = z.strictObject({ ...reported, phase: label, days: opt(z.int()), until: opt(utcTime), by: opt(label) });
export type ExtensionEntry = z.infer<typeof extensionEntrySchema>;

export const agreementPhaseSchema = z.strictObject({
  name: label,
  durationDays: opt(z.int()),
  summary: opt(label),
  /** A stated start, or when a took_effect naming this phase says it began. */
  startsAt: opt(utcTime),
});
export type AgreementPhase = z.infer<typeof agreementPhaseSchema>;

export const agreementEntrySchema = z.strictObject({
  id: label,
  name: opt(label),
  stage: opt(z.enum(agreementStages)),
  /** The first report of the agreement (its agreed step). */
  version: opt(version),
  agreedAt: opt(utcTime),
  state: z.enum(agreementStates),
  stateSince: opt(utcTime),
  stateVersion: opt(version),
  /** The announced start, until it takes effect. */
  startsAt: opt(utcTime),
  inForceSince: opt(utcTime),
  endedAt: opt(utcTime),
  ending: opt(z.strictObject({ how: z.enum(endings), reason: opt(label), by: opt(label), supersededBy: opt(label), cause: opt(label) })),
  terms: opt(termsSchema),
  phases: z.array(agreementPhaseSchema),
  signatories: z.array(label),
  announcedBy: opt(label),
  steps: z.array(agreementStepSchema),
  approvals: z.array(approvalEntrySchema),
  extensions: z.array(extensionEntrySchema),
});
export type AgreementEntry = z.infer<typeof agreementEntrySchema>;

/**
 * The principal agreement (the latest in force, else the latest) in the shape clients read
 * before agreements had their own list: `state` keeps its old values and gains the new ones.
 */
export const agreementSummarySchema = z.strictObject({
  state: z.enum(agreementStates),
  id: opt(label),
  version: opt(version),
  agreedAt: opt(utcTime),
  inForceSince: opt(utcTime),
  currentPhase: opt(label),
  terms: opt(termsSchema),
  phases: opt(z.array(z.omit(agreementPhaseSchema, { startsAt: true }))),
  signatories: opt(z.array(label)),
});

export const releaseEntrySchema = z.strictObject({
  kind: z.enum(releaseKinds),
  count,
  releasedBy: label,
  releasedTo: opt(label),
  group: opt(label),
  outsideAgreement: opt(z.literal(true)),
  names: opt(z.array(label)),
});
export type ReleaseEntry = z.infer<typeof releaseEntrySchema>;

/** Released people by kind ("hostage": 58). */
const byKind = z.record(z.string(), z.number());
export type ByKind = Record<string, number>;

/** One report of an exchange: what it says was released, and who reported it. */
const exchangeReport = { version, released: z.array(releaseEntrySchema), source: label };

export const exchangeEntrySchema = z.strictObject({
  ...exchangeReport,
  /** The exchange's id: the client's exchangeId, else "x" and the version of its first report. */
  id: label,
  at: utcTime,
  /** The agreement it falls under, or absent when it falls under none (outside any agreement). */
  agreementId: opt(label),
  phase: opt(label),
  /** Other reports of the same exchange, side by side: they never change the totals. */
  competing: z.array(z.strictObject({ ...exchangeReport, originator: opt(label), corrections })),
  corrections,
});
export type ExchangeEntry = z.infer<typeof exchangeEntrySchema>;

export const exchangeTotalsSchema = z.strictObject({
  count,
  released: byKind,
  /** Per agreement id, and "outside" for releases outside any agreement. */
  byAgreement: z.record(z.string(), byKind),
  /** Per kind, then per group as reported ("hostage" → "Thai" → 17); "unstated" when none. */
  byGroup: z.record(z.string(), byKind),
});

export const momentumComponentSchema = z.strictObject({ ...dated, what: label, score: z.number(), weight: z.number() });

export const momentumSchema = z.strictObject({
  label: z.enum(['positive', 'mixed', 'negative', 'unknown']),
  score: z.nullable(z.number()),
  basis: count,
  onRecord: count,
  anonymous: count,
  window: z.nullable(z.strictObject({ from: utcTime, to: utcTime })),
  /** The moment momentum is judged at: the view's moment (the stored status: its updatedAt). */
  at: opt(utcTime),
  /** The sum of the weights: below momentumRule.minimumWeight there is too little recent news to judge. */
  weight: opt(z.number()),
  /** Each development counted, with its score and weight (when presented). */
  components: opt(z.array(momentumComponentSchema)),
});
export type Momentum = z.infer<typeof momentumSchema>;

export const developmentRefSchema = z.strictObject({
  version,
  type: z.enum(eventTypes as [EventType, ...EventType[]]),
  at: utcTime,
  reportedAt: utcTime,
  summary: label,
});
export type DevelopmentRef = z.infer<typeof developmentRefSchema>;

export const talksStatusFields = {
  talksId: label,
  version: z.int().check(z.minimum(0)),
  headHash: label,
  updatedAt: label,
  title: label,
  subject: opt(label),
  format: opt(label),
  openedAt: label,
  phase: z.enum(phases),
  phaseSince: label,
  phaseVersion: z.int().check(z.minimum(0)),
  negotiation: z.strictObject({
    phase: z.enum(negotiationPhases),
    since: label,
    version: z.int().check(z.minimum(0)),
    reason: opt(label),
  }),
  momentum: momentumSchema,
  assessments: z.array(assessmentEntrySchema),
  signals: z.array(signalEntrySchema),
  participants: z.array(participantEntrySchema),
  deadlines: z.array(deadlineEntrySchema),
  positions: z.array(positionEntrySchema),
  figures: z.array(figureEntrySchema),
  proposals: z.array(proposalEntrySchema),
  agreement: agreementSummarySchema,
  agreements: z.array(agreementEntrySchema),
  exchanges: z.strictObject({
    ...exchangeTotalsSchema.shape,
    items: z.array(exchangeEntrySchema),
    /** What older exchanges, no longer listed, added: totals = earlier + the listed headlines. */
    earlier: exchangeTotalsSchema,
  }),
  meetings: z.strictObject({
    count,
    last: opt(z.strictObject({ ...dated, kind: label, participants: z.array(label), place: opt(label) })),
  }),
  lastDevelopment: z.nullable(developmentRefSchema),
  counts: z.strictObject({ events: count, developments: count, corrections: count, retractions: count }),
};

export const talksStatusSchema = z.strictObject(talksStatusFields);
export type TalksStatus = z.infer<typeof talksStatusSchema>;
