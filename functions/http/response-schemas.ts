import * as z from 'zod';
import { talksIdSchema } from '../domain/common-schemas.js';
import { type EventType, eventCatalog } from '../domain/event-catalog.js';
import { type PresentedStatus, presentedStatusSchema } from '../domain/present-status-schema.js';
import { submittedEventVariants } from '../domain/submitted-event.js';
import { momentumSchema } from '../domain/talks-status-schema.js';
import type { AuditReport } from '../store/audit-log.js';
import type { TalksSummary } from '../store/item-keys.js';
import type { HistoryPageBody } from './history-page.js';

/**
 * Schemas of what the API returns, for its OpenAPI document. Request schemas and the status
 * come straight from the domain; the other responses are TypeScript types there, so they are
 * restated here and tied to those types at compile time (below), and an end-to-end test
 * validates real responses against the generated document.
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

/**
 * The status is defined once, with zod, in the domain (present-status.ts, talks-status.ts):
 * the fold's types are inferred from it and the document uses it as it is.
 */
export const statusSchema = z.strictObject({
  ...presentedStatusSchema.shape,
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
      momentum: momentumSchema.shape.label,
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
    'checkpoint-invalid',
    'not-covered',
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
  checkpoints: z
    .strictObject({
      latest: z
        .strictObject({ treeSize: z.int().min(1), rootHash: sha256, signedAt: utcTime, kid: label })
        .nullable()
        .describe('The latest checkpoint whose signature verifies and whose root is the root of the stored events'),
      coveredThrough: z.int().min(0).describe('Versions 1 to coveredThrough are covered by that signature'),
      firstUncovered: z.int().min(1).nullable().describe('The first version no valid checkpoint covers (a write that bypassed the API)'),
      checkpointsChecked: z.int().min(0),
      invalid: z.array(z.strictObject({ treeSize: z.int().min(0), detail: label })).max(50),
    })
    .describe('Signed checkpoints: what a signature vouches for'),
  checkedAt: utcTime,
});

const treeSize = z.int().min(0).describe('The number of events the tree covers: versions 1 to treeSize');
const hexHash = z.string().regex(/^[0-9a-f]{64}$/);

export const checkpointSchema = z
  .strictObject({
    talksId: talksIdSchema,
    treeSize,
    rootHash: hexHash.describe("RFC 9162 root of the first treeSize events (leaf v = the 32 bytes of event v's hash), lowercase hex"),
    signedAt: utcTime,
    checkpoint: z
      .string()
      .describe('Compact JWS (ES256, kid header) whose payload is {"talksId","treeSize","rootHash","signedAt"}: verify it with the JWKS'),
  })
  .describe('A signed tree head: save it as it is, `talks verify --checkpoint` reads it');

export const jwksSchema = z
  .strictObject({
    keys: z.array(
      z.strictObject({
        kty: z.literal('EC'),
        crv: z.literal('P-256'),
        x: z.string(),
        y: z.string(),
        kid: z.string().describe('RFC 7638 thumbprint'),
        alg: z.literal('ES256'),
        use: z.literal('sig'),
      }),
    ),
  })
  .describe('The checkpoint keys, current first, then retired ones (checkpoints they signed keep verifying)');

export const inclusionProofSchema = z.strictObject({
  version,
  leafIndex: z.int().min(0).describe('version - 1'),
  treeSize: version,
  path: z.array(hexHash).describe('RFC 9162 section 2.1.3 inclusion proof, from the leaf up'),
});

export const consistencyProofSchema = z.strictObject({
  from: version,
  to: version,
  path: z.array(hexHash).describe('RFC 9162 section 2.1.4 consistency proof'),
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
