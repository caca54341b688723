import * as z from 'zod';
import { participantRole, talksIdSchema, termsSchema, timePrecision } from '../domain/common-schemas.js';
import { assessmentScale, type EventType, eventCatalog, eventTypes, stances } from '../domain/event-catalog.js';
import type { PresentedStatus } from '../domain/present-status.js';
import { submittedEventVariants } from '../domain/submitted-event.js';
import type { AuditReport } from '../store/audit-log.js';
import type { TalksSummary } from '../store/item-keys.js';
import type { HistoryPageBody } from './history-page.js';

/**
 * Schemas of what the API returns, for its OpenAPI document. Request schemas come straight
 * from the domain; responses are TypeScript types there, so they are restated here once
 * and tied to those types at compile time (below), and an end-to-end test validates real
 * responses against the generated document.
 */
const utcTime = z.iso.datetime().describe('ISO-8601 time in UTC');
const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('SHA-256, lowercase hex');
const version = z.int().min(1);
const label = z.string();

/** Each submitted variant plus what the store adds; older schema versions keep their shape. */
const storedVariants = submittedEventVariants.map((variant) => {
  const type = variant.shape.type._zod.def.values[0] as EventType;
  const current = eventCatalog[type].schemaVersion;
  const legacyData = z
    .record(z.string(), z.unknown())
    .describe(`The data as stored under an older schemaVersion of ${type} (the hash covers that shape)`);
  return z.strictObject({
    ...variant.shape,
    eventId: z.uuid().describe('Client-chosen or server-assigned: the idempotency key'),
    talksId: talksIdSchema,
    version,
    recordedAt: utcTime.describe('When the store recorded it (transaction time)'),
    recordedBy: z.string().min(1).describe('The authenticated principal that submitted it'),
    schemaVersion: current === 1 ? z.literal(1) : z.int().min(1).max(current),
    prevHash: sha256,
    hash: sha256.describe('SHA-256 over prevHash and the RFC 8785 canonical JSON of the event without its hash'),
    ...(current === 1 ? {} : { data: z.union([variant.shape.data, legacyData]) }),
  });
});
export const storedEventSchema = z.discriminatedUnion(
  'type',
  storedVariants as unknown as [(typeof storedVariants)[number], ...(typeof storedVariants)[number][]],
);

const sourceRef = z.strictObject({ name: label, attribution: label.optional(), anonymous: z.boolean(), url: label.optional() });
const figure = z.strictObject({
  version,
  metric: label,
  label: label.optional(),
  value: z.number().optional(),
  low: z.number().optional(),
  best: z.number().optional(),
  high: z.number().optional(),
  unit: label,
  qualifier: label,
  asOf: utcTime.optional(),
  caveat: label.optional(),
  originator: label,
  publisher: label,
  reportedAt: utcTime,
});
const momentum = z.strictObject({
  label: z.enum(['positive', 'mixed', 'negative', 'unknown']),
  score: z.number().nullable(),
  basis: z.int().min(0).describe('Assessments in the window'),
  onRecord: z.int().min(0),
  anonymous: z.int().min(0),
  window: z.strictObject({ from: utcTime, to: utcTime }).nullable(),
});

export const statusSchema = z.strictObject({
  talksId: talksIdSchema,
  version,
  phase: z.enum(['active', 'stalled', 'suspended', 'agreed', 'in_force', 'collapsed', 'concluded']),
  phaseSince: utcTime,
  phaseVersion: version,
  title: label,
  subject: label.optional(),
  format: label.optional(),
  openedAt: utcTime,
  momentum,
  participants: z.array(z.strictObject({ name: label, role: participantRole, represents: label.optional(), since: utcTime, version })),
  positions: z.array(
    z.strictObject({
      party: label,
      version,
      at: utcTime,
      kind: z.enum(['statement', 'no_statement']),
      speaker: z.strictObject({ name: label, role: label.optional(), affiliation: label }).optional(),
      stance: z.enum(stances).optional(),
      summary: label.optional(),
      quote: label.optional(),
      declinedToComment: z.boolean().optional(),
      source: sourceRef,
    }),
  ),
  agreement: z.strictObject({
    state: z.enum(['none', 'agreed', 'in_force']),
    version: version.optional(),
    agreedAt: utcTime.optional(),
    inForceSince: utcTime.optional(),
    currentPhase: label.optional(),
    terms: z.optional(termsSchema),
    phases: z.array(z.strictObject({ name: label, durationDays: z.int().optional(), summary: label.optional() })).optional(),
    signatories: z.array(label).optional(),
  }),
  proposals: z.array(z.strictObject({ version, at: utcTime, by: label, families: z.array(label), summary: label.optional() })),
  assessments: z.array(z.strictObject({ version, at: utcTime, assessment: z.enum(assessmentScale), by: label, onRecord: z.boolean() })),
  exchanges: z.strictObject({ count: z.int().min(0), released: z.record(z.string(), z.number()).describe('Released people by kind') }),
  meetings: z.strictObject({
    count: z.int().min(0),
    last: z.strictObject({ version, at: utcTime, kind: label, participants: z.array(label), place: label.optional() }).optional(),
  }),
  lastDevelopment: z
    .strictObject({ version, type: z.enum(eventTypes as [EventType, ...EventType[]]), at: utcTime, reportedAt: utcTime, summary: label })
    .nullable(),
  counts: z.strictObject({
    events: z.int().min(0),
    developments: z.int().min(0),
    corrections: z.int().min(0),
    retractions: z.int().min(0),
  }),
  headHash: sha256,
  updatedAt: utcTime,
  deadlines: z.array(
    z.strictObject({
      version,
      due: utcTime,
      duePrecision: timePrecision,
      kind: z.enum(['aspiration', 'target', 'ultimatum']),
      setBy: label,
      appliesTo: label,
      consequence: label.optional(),
      windowEnd: utcTime.describe('When the deadline is over, given its precision'),
      passed: z.boolean().describe('Judged at readAt, never stored'),
    }),
  ),
  figures: z.array(
    z.strictObject({ metric: label, headline: figure, reports: z.array(figure).describe('Every competing report, the headline included') }),
  ),
  readAt: utcTime,
  timeTravel: z
    .strictObject({ mode: z.enum(['asOf', 'atVersion', 'validAt']), at: z.union([utcTime, version]) })
    .optional()
    .describe('Present when the status was read as of a past moment or version'),
});

export const talksListSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      talksId: talksIdSchema,
      title: label,
      phase: statusSchema.shape.phase,
      momentum: momentum.shape.label,
      version,
      updatedAt: utcTime,
      lastDevelopment: label.nullable(),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

export const historyPageSchema = z.strictObject({
  talksId: talksIdSchema,
  items: z.array(storedEventSchema).describe('Exactly as stored: hash-verifiable'),
  summaries: z
    .array(
      z.strictObject({
        version,
        summary: label.describe("The development in words, the same as the status's `lastDevelopment.summary` (any schema version)"),
      }),
    )
    .describe('One per item, in the same order: the summary of `items[i]` is `summaries[i]`, and names its version'),
  nextAfter: z.int().min(1).nullable().describe('Pass as `after` for the next page; null when the history is exhausted'),
});

export const appendResultSchema = z.strictObject({
  talksId: talksIdSchema,
  outcome: z.enum(['appended', 'replayed']).describe('`replayed` when every event was already stored: nothing was written'),
  statusVersion: version,
  replayedEventIds: z.array(z.uuid()),
  events: z.array(storedEventSchema).describe('In submission order, replayed ones included'),
});

const auditProblem = z.strictObject({
  version: z.int().min(0),
  kind: z.enum([
    'gap',
    'out-of-order',
    'foreign-event',
    'hash-mismatch',
    'broken-link',
    'time-reversed',
    'status-differs',
    'expected-head',
  ]),
  detail: label,
});
export const auditReportSchema = z.strictObject({
  talksId: talksIdSchema,
  ok: z.boolean().describe('True only when every check passed'),
  checkedEvents: z.int().min(0),
  headVersion: z.int().min(0),
  headHash: sha256,
  gapless: z.boolean(),
  hashesValid: z.boolean(),
  hashesLink: z.boolean(),
  revisions: z.int().min(0),
  storedStatus: z.strictObject({ version, headHash: sha256 }).nullable(),
  statusMatches: z.boolean().describe('The replayed status equals the stored one'),
  firstProblem: auditProblem.nullable(),
  problems: z.array(auditProblem).max(50),
  expectHead: z.strictObject({ version, hash: sha256, verified: z.boolean(), detail: label }).optional(),
  checkedAt: utcTime,
});

export const problemSchema = z
  .looseObject({
    type: z.string().describe('Stable problem type URI, relative to the API: /problems/{slug}'),
    title: label,
    status: z.int().min(400).max(599),
    detail: label,
    errors: z.array(z.strictObject({ field: label.describe('Path such as events/2/data/title'), message: label })).optional(),
  })
  .describe('RFC 9457 problem details; extensions (currentVersion, eventId, ...) depend on the type');

/**
 * Compile-time ties to the types the handlers return: every documented value must be a
 * value of the real type, and both must name the same fields.
 */
type Agrees<Doc, Real> = [Doc] extends [Real]
  ? [Exclude<keyof Real, keyof Doc> | Exclude<keyof Doc, keyof Real>] extends [never]
    ? true
    : false
  : false;
const agree = <T extends true>(): T | undefined => undefined;
agree<Agrees<Omit<z.output<typeof statusSchema>, 'timeTravel'>, PresentedStatus>>();
agree<Agrees<z.output<typeof talksListSchema>['items'][number], TalksSummary>>();
agree<Agrees<z.output<typeof auditReportSchema>, AuditReport>>();
// Items are tied through storedEventSchema's variants; older schema versions keep a looser shape.
agree<Agrees<Omit<z.output<typeof historyPageSchema>, 'items'>, Omit<HistoryPageBody, 'items'>>>();
