import * as z from 'zod/mini';
import type { Runtime } from '../controllers/runtime.js';
import { talksIdSchema } from '../domain/common-schemas.js';
import { writeEventIdAliases } from '../store/event-id-aliases.js';
import { rebuildMany } from '../store/rebuild-status.js';

const rebuildRequest = z.strictObject({
  /** Resume a run that stopped (a timeout) by passing its runId again. */
  runId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/))),
  /** Omitted: every talks in the log. */
  talksIds: z.optional(z.array(talksIdSchema).check(z.maxLength(10_000))),
});

/**
 * The rebuild job (invoked directly, not through the API): rebuilds status items and
 * snapshots from the log, e.g. after a new projection version ships.
 */
export const rebuildStatusJob = (runtime: Pick<Runtime, 'store' | 'now' | 'log'>) => async (input: unknown) => {
  const request = rebuildRequest.parse(input ?? {});
  const runId = request.runId ?? `rebuild-${runtime.now().toISOString().replace(/[:.]/g, '-')}`;
  // A full run scans the log anyway: it also aliases event ids stored before they were
  // lower-cased, so their resends stay replays (see event-id-aliases.ts).
  const eventIdAliases = request.talksIds === undefined ? await writeEventIdAliases(runtime.store) : undefined;
  const result = await rebuildMany(runtime.store, { runId, ...(request.talksIds === undefined ? {} : { talksIds: request.talksIds }) });
  runtime.log({
    level: 'INFO',
    message: 'rebuild finished',
    runId,
    ...result,
    ...(eventIdAliases === undefined ? {} : { eventIdAliases }),
  });
  return { runId, ...result, ...(eventIdAliases === undefined ? {} : { eventIdAliases }) };
};
