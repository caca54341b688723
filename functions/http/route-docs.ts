import * as z from 'zod';
import { batchSchema, maxEventsPerSubmission, submittedEventSchema } from '../domain/submitted-event.js';
import { createdSubscriptionSchema, deliveriesPageSchema, subscriptionRequestSchema } from '../webhooks/subscription-schemas.js';
import { cacheControl } from './cache-policy.js';
import type { ProblemSlug } from './problem-catalog.js';
import { auditQuery, checkpointQuery, consistencyQuery, historyQuery, inclusionQuery, listQuery, statusQuery } from './query-schemas.js';
import {
  appendResultSchema,
  auditReportSchema,
  checkpointSchema,
  consistencyProofSchema,
  historyPageSchema,
  inclusionProofSchema,
  jwksSchema,
  statusSchema,
  talksListSchema,
} from './response-schemas.js';
import type { RouteId } from './routes.js';

/**
 * What the OpenAPI document says about each route beyond the contract (routes.ts): its words,
 * the query shape its controller parses with (imported, never restated), its body and its
 * answers. Keyed by route id, so a route added to the table without docs fails to compile.
 */
export interface HeaderDoc {
  readonly description: string;
  readonly example?: string;
}

export interface ResponseDoc {
  readonly description: string;
  readonly schema?: z.core.$ZodType;
  readonly headers?: Readonly<Record<string, HeaderDoc>>;
}

export interface RouteDoc {
  readonly summary: string;
  readonly description: string;
  readonly tag: 'Talks' | 'Audit' | 'Meta' | 'Webhooks';
  readonly query?: z.core.$ZodShape;
  readonly requestHeaders?: Readonly<Record<string, HeaderDoc>>;
  readonly requestBody?: { readonly description: string; readonly schema: z.core.$ZodType };
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  /**
   * Problem types particular to this route (`storage-unavailable` for every route that reads
   * a table: an infra test holds it to the deployment's table access); auth, validation and
   * 500 are derived from the route's shape.
   */
  readonly problems: readonly ProblemSlug[];
}

const live = cacheControl('live', 'shared');
const settled = cacheControl('settled', 'shared');
const privately = 'when reads need a token, `private` instead of `public` (`private, no-cache` for what changes)';
const cacheHeader = (description: string, example: string): HeaderDoc => ({ description, example });

const etag = { description: 'The status version as a strong ETag, e.g. "17"', example: '"17"' };

/** The documented batch: the route parses each item as a submitted event. */
export const documentedBatchSchema = z.strictObject({
  ...batchSchema.shape,
  events: z.array(submittedEventSchema).min(1).max(maxEventsPerSubmission),
});

export const routeDocs = {
  AppendEvents: {
    summary: 'Append reported developments',
    description:
      'Appends one event, or a batch `{"events": [...]}` of 1 to 25, in one transaction: all are stored or none. ' +
      'A repeated `eventId` with the same content is an idempotent success (200 when every event was already stored). ' +
      'The first event of a talks must be `talks.opened`. `recordedAt`, `recordedBy`, `version` and the hashes are assigned by the server.',
    tag: 'Talks',
    requestHeaders: {
      'If-Match': { description: 'Append only if the talks is at this version ("0": only if it does not exist yet)', example: '"17"' },
    },
    requestBody: { description: 'One event or a batch', schema: z.union([submittedEventSchema, documentedBatchSchema]) },
    responses: {
      201: {
        description: 'Stored',
        schema: appendResultSchema,
        headers: { ETag: etag, Location: { description: 'The status of the talks' } },
      },
      200: { description: 'Every event was already stored: nothing was written', schema: appendResultSchema, headers: { ETag: etag } },
    },
    problems: [
      'not-found',
      'version-mismatch',
      'event-id-reused',
      'already-open',
      'payload-too-large',
      'unsupported-media-type',
      'revision-target-missing',
      'revision-target-retracted',
      'revision-target-invalid',
      'invalid-correction',
      'busy',
      'storage-unavailable',
    ],
  },
  ListTalks: {
    summary: 'List talks, most recently active first',
    description: 'A page of talks summaries; pass `nextCursor` back as `cursor` for the next page.',
    tag: 'Talks',
    query: listQuery,
    responses: {
      200: {
        description: 'A page of talks',
        schema: talksListSchema,
        headers: { 'Cache-Control': cacheHeader(`\`${live}\`: changes with any append; ${privately}`, live) },
      },
    },
    problems: ['storage-unavailable'],
  },
  GetStatus: {
    summary: 'The status of a talks, now or in the past',
    description:
      'The current status (one read, however long the history), with `If-None-Match` support. ' +
      'Time travel: `asOf` (what the store knew at that transaction time), `atVersion` (right after that version) or `validAt` ' +
      '(the state of the talks at that moment, as known now); at most one of them. Whether a deadline has passed is judged at `readAt`.',
    tag: 'Talks',
    query: statusQuery,
    requestHeaders: { 'If-None-Match': { description: 'The ETag of a status already held: 304 if it is still current', example: '"17"' } },
    responses: {
      200: {
        description: 'The status',
        schema: statusSchema,
        headers: {
          ETag: { description: `${etag.description} (current status only)`, example: etag.example },
          'Cache-Control': cacheHeader(
            `\`${live}\` for the current status and validAt; \`${settled}\` for atVersion and for an asOf the head has moved past (they cannot change); ${privately}`,
            live,
          ),
        },
      },
      304: { description: 'The status is still the one named by If-None-Match', headers: { ETag: etag } },
    },
    problems: ['not-found', 'storage-unavailable'],
  },
  GetHistory: {
    summary: 'The history of a talks, in version order',
    description:
      'Stored events exactly as kept (hashes included), so a client can verify the chain, and beside them `summaries`: each event in words ' +
      "(the wording of the status's `lastDevelopment`, whatever the event's schema version), aligned with `items`. " +
      "Page with `after` = the previous page's `nextAfter`.",
    tag: 'Talks',
    query: historyQuery,
    responses: {
      200: {
        description: 'A page of the history',
        schema: historyPageSchema,
        headers: {
          'Cache-Control': cacheHeader(
            `\`${settled}\` for a page that ends below the head (\`nextAfter\` set); \`${live}\` for one that reaches it; ${privately}`,
            settled,
          ),
        },
      },
    },
    problems: ['not-found', 'storage-unavailable'],
  },
  AuditTalks: {
    summary: 'Audit a talks: replay and verify its whole log',
    description:
      'Verifies every hash and link, checks versions are gapless, rebuilds the status and compares it with the stored one. ' +
      'With `expectHead=<version>:<hash>` (a digest kept earlier) it also proves the log up to that version is unchanged. ' +
      'A failed check is still a 200: read `ok` and `firstProblem`.',
    tag: 'Audit',
    query: auditQuery,
    responses: {
      200: {
        description: 'The audit report',
        schema: auditReportSchema,
        headers: { 'Cache-Control': cacheHeader('`no-store`: a proof is taken fresh', 'no-store') },
      },
    },
    problems: ['not-found', 'storage-unavailable'],
  },
  GetCheckpoint: {
    summary: 'The signed checkpoint of a talks (its Merkle tree head)',
    description:
      "The RFC 9162 root of the talks' events, signed (compact JWS, ES256, `kid` header). Every submission's new head is signed when it is stored. " +
      'Keep the answer as it is: `talks verify <export> --checkpoint <file>` checks an export against it, and a consistency proof shows later that the log only grew. ' +
      '`treeSize` asks for the checkpoint signed at that size (a submission head): 404 when none was signed at that size or the size is beyond the head.',
    tag: 'Audit',
    query: checkpointQuery,
    responses: {
      200: {
        description: 'The checkpoint',
        schema: checkpointSchema,
        headers: {
          'Cache-Control': cacheHeader(`\`${live}\` for the latest; \`${settled}\` with treeSize (it cannot change); ${privately}`, live),
        },
      },
    },
    problems: ['not-found', 'storage-unavailable'],
  },
  GetJwks: {
    summary: 'The keys that sign checkpoints (JWKS)',
    description:
      'The current key and the retired ones, as a JSON Web Key Set (RFC 7517). Keep a copy: a key that signed once must be the one you check with.',
    tag: 'Audit',
    responses: {
      200: {
        description: 'The key set',
        schema: jwksSchema,
        headers: { 'Cache-Control': cacheHeader('changes only when the key is rotated', cacheControl('document', 'shared')) },
      },
    },
    problems: [],
  },
  GetInclusionProof: {
    summary: 'Prove that a version is in the tree of a given size',
    description:
      "RFC 9162 section 2.1.3: the audit path from leaf `version - 1` (whose leaf is the 32 bytes of that event's `hash`) to the root of the first `treeSize` events. " +
      'Served from stored tree nodes: O(log n) items read. `version` above `treeSize` is a 400; a `treeSize` beyond the head is a 404.',
    tag: 'Audit',
    query: inclusionQuery,
    responses: {
      200: {
        description: 'The inclusion proof',
        schema: inclusionProofSchema,
        headers: { 'Cache-Control': cacheHeader(`\`${settled}\`: a proof between fixed sizes never changes; ${privately}`, settled) },
      },
    },
    problems: ['not-found', 'storage-unavailable'],
  },
  GetConsistencyProof: {
    summary: 'Prove that the tree of size `to` extends the tree of size `from`',
    description:
      'RFC 9162 section 2.1.4: with it and two checkpoints, anyone checks that the log only grew between them (nothing before `from` was rewritten). ' +
      '`from` above `to` is a 400; a `to` beyond the head is a 404.',
    tag: 'Audit',
    query: consistencyQuery,
    responses: {
      200: {
        description: 'The consistency proof',
        schema: consistencyProofSchema,
        headers: { 'Cache-Control': cacheHeader(`\`${settled}\`: a proof between fixed sizes never changes; ${privately}`, settled) },
      },
    },
    problems: ['not-found', 'storage-unavailable'],
  },
  GetOpenApi: {
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of this API, generated from the schemas that validate requests. Always public.',
    tag: 'Meta',
    responses: {
      200: {
        description: 'An OpenAPI 3.1 document',
        headers: { 'Cache-Control': cacheHeader('changes only with a deployment', cacheControl('document', 'shared')) },
      },
    },
    problems: [],
  },
  CreateSubscription: {
    summary: 'Subscribe a webhook',
    description:
      'Registers a receiver for every change stored after this call (optionally only some talks, some event types). ' +
      'Deliveries follow the Standard Webhooks specification: `POST` with `webhook-id`, `webhook-timestamp` (seconds) and ' +
      "`webhook-signature` (`v1,` + base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` with the secret's key); the body is " +
      '`{type, talksId, version, headHash, replayed, event, summary}`: the stored event and the status summary after it. ' +
      'Ordered per talks by version, at least once (deduplicate by `webhook-id`), retried with exponential backoff for a bounded ' +
      'time (a day on AWS), then dead-lettered; a receiver failing again and again is paused and probed, resuming on a success. ' +
      'The URL must be https and resolve only to public addresses (no private, loopback or link-local ones, checked again at ' +
      'every delivery); anything else is a 400 naming `url`.',
    tag: 'Webhooks',
    requestBody: { description: 'The receiver and its filters', schema: subscriptionRequestSchema },
    responses: {
      201: {
        description: 'Subscribed; `secret` (`whsec_...`) is shown this once',
        schema: createdSubscriptionSchema,
        headers: { Location: { description: 'The subscription' } },
      },
    },
    problems: ['payload-too-large', 'unsupported-media-type', 'storage-unavailable'],
  },
  ListDeliveries: {
    summary: 'Recent delivery attempts of a subscription',
    description:
      'The latest 100 attempts, newest first, each with its `webhook-id`, talks, version, outcome (`delivered`, `failed`, ' +
      "`dead-lettered`), the receiver's status and when the next attempt is due. Attempts are kept 7 days.",
    tag: 'Webhooks',
    responses: {
      200: {
        description: 'The subscription and its recent attempts',
        schema: deliveriesPageSchema,
        headers: { 'Cache-Control': cacheHeader('`no-store`', 'no-store') },
      },
    },
    problems: ['not-found', 'storage-unavailable'],
  },
  DeleteSubscription: {
    summary: 'End a subscription',
    description: 'Nothing more is sent to it, and deliveries still queued are dropped.',
    tag: 'Webhooks',
    responses: { 204: { description: 'Ended' } },
    problems: ['not-found', 'storage-unavailable'],
  },
} as const satisfies Record<RouteId, RouteDoc>;
