import * as z from 'zod/mini';
import { described, isoTime } from '../domain/common-schemas.js';
import { type EventType, eventTypes } from '../domain/event-catalog.js';
import { intParam } from './query-params.js';

/**
 * The query parameters of each route, in a module of their own: the handlers parse with
 * them and the OpenAPI document describes them, without the document pulling in the store.
 */
/** OpenAPI cannot say that query parameters exclude each other: each one's description does (the controller answers 400). */
const oneTimeTravel = ' At most one of asOf, atVersion and validAt: two of them are a 400 validation-failed.';

export const statusQuery = {
  asOf: z.optional(described(isoTime, `Transaction time: the status as the store knew it then.${oneTimeTravel}`)),
  atVersion: z.optional(described(intParam(1, Number.MAX_SAFE_INTEGER), `The status right after this version.${oneTimeTravel}`)),
  validAt: z.optional(described(isoTime, `Valid time: the state of the talks at that moment, as known now.${oneTimeTravel}`)),
};

const typesParam = z.pipe(
  z.string().check(z.maxLength(2000)),
  z.pipe(
    z.transform((s: string) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
    z.array(z.enum(eventTypes as [EventType, ...EventType[]])).check(z.maxLength(20)),
  ),
);

export const historyQuery = {
  after: z.optional(intParam(0, Number.MAX_SAFE_INTEGER)),
  limit: z.optional(intParam(1, 1000)),
  types: z.optional(typesParam),
};

const treeSizeParam = intParam(1, 2 ** 31);

export const checkpointQuery = {
  treeSize: z.optional(described(treeSizeParam, 'The checkpoint signed at this tree size (a submission head); the latest when absent')),
};

export const inclusionQuery = {
  version: described(treeSizeParam, 'The version whose event the proof shows in the tree (leaf index version - 1)'),
  treeSize: described(treeSizeParam, 'The size of the tree the proof leads to: a checkpoint you hold'),
};

export const consistencyQuery = {
  from: described(treeSizeParam, 'The size of the older tree (a checkpoint kept earlier)'),
  to: described(treeSizeParam, 'The size of the newer tree'),
};

export const listQuery = {
  limit: z.optional(intParam(1, 100)),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};

export const auditQuery = {
  expectHead: z.optional(
    described(
      z.pipe(
        z.string().check(z.regex(/^\d{1,15}:[0-9a-f]{64}$/, 'expected <version>:<sha-256 hex>, as a status headHash with its version')),
        z.transform((s: string) => {
          const [version, hash] = s.split(':') as [string, string];
          return { version: Number(version), hash };
        }),
      ),
      'A digest kept earlier: proves the log up to that version is unchanged',
    ),
  ),
};
