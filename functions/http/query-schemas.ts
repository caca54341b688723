import * as z from 'zod';
import { isoTime } from '../domain/common-schemas.js';
import { eventTypes, type EventType } from '../domain/event-catalog.js';
import { intParam } from './query-params.js';

/**
 * The query parameters of each route, in a module of their own: the handlers parse with
 * them and the OpenAPI document describes them, without the document pulling in the store.
 */
export const statusQuery = {
  asOf: isoTime.optional().describe('Transaction time: the status as the store knew it then'),
  atVersion: intParam(1, Number.MAX_SAFE_INTEGER).optional().describe('The status right after this version'),
  validAt: isoTime.optional().describe('Valid time: the state of the talks at that moment, as known now'),
};

const typesParam = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((t) => t.trim()).filter((t) => t !== ''))
  .pipe(z.array(z.enum(eventTypes as [EventType, ...EventType[]])).max(20));

export const historyQuery = {
  after: intParam(0, Number.MAX_SAFE_INTEGER).optional(),
  limit: intParam(1, 1000).optional(),
  types: typesParam.optional(),
};

export const listQuery = {
  limit: intParam(1, 100).optional(),
  cursor: z.string().max(2048).optional(),
};

export const auditQuery = {
  expectHead: z
    .string()
    .regex(/^\d{1,15}:[0-9a-f]{64}$/, 'expected <version>:<sha-256 hex>, as a status headHash with its version')
    .transform((s) => {
      const [version, hash] = s.split(':') as [string, string];
      return { version: Number(version), hash };
    })
    .optional()
    .describe('A digest kept earlier: proves the log up to that version is unchanged'),
};

