import { CliError, exitCodes, usageError } from './cli-errors.js';
import { type Command, type CommandContext, stringOption } from './command.js';
import { parseEvents, readSource } from './input.js';
import { table } from './output.js';
import { type StoredRow, submitInBatches } from './submit-events.js';

/** Consecutive events of the same talks, in order: each run is submitted on its own. */
function groupByTalks(
  events: Record<string, unknown>[],
  fallback: string | undefined,
): { talksId: string; events: Record<string, unknown>[] }[] {
  const groups: { talksId: string; events: Record<string, unknown>[] }[] = [];
  events.forEach((event, i) => {
    const { talksId: own, ...rest } = event;
    const talksId = fallback ?? (typeof own === 'string' ? own : undefined);
    if (talksId === undefined) throw usageError(`Event ${i + 1} names no talks: pass --talks <id> or give each event a "talksId"`);
    const last = groups.at(-1);
    if (last?.talksId === talksId) last.events.push(rest);
    else groups.push({ talksId, events: [rest] });
  });
  return groups;
}

export function printStored(ctx: CommandContext, rows: StoredRow[]): void {
  if (ctx.json) ctx.out(JSON.stringify(rows, null, 2));
  else
    ctx.out(
      table(rows, [
        { header: 'TALKS', value: (r) => r.talksId },
        { header: 'VERSION', value: (r) => String(r.version) },
        { header: 'OUTCOME', value: (r) => r.outcome },
        { header: 'TYPE', value: (r) => r.type },
        { header: 'EVENT ID', value: (r) => r.eventId },
      ]),
    );
}

export const submitCommand: Command = {
  name: 'submit',
  summary: 'submit events from a file or stdin (one event, an array, or JSON Lines)',
  help: `talks submit <file.json|file.jsonl|-> [--talks <id>] [--if-match <version>]

Submits reported developments: one JSON event, a JSON array, {"events": [...]}, or JSON
Lines (one event a line). They are sent in order, in batches of at most 25 (one
transaction each), and the stored versions are printed. Events without an "eventId" get
one here, so a retried batch is never stored twice.

  --talks <id>        the talks to submit to; otherwise each event's "talksId" field
  --if-match <n>      append only if the talks is at version n (each batch then follows
                      the one before it); "0" means the talks must not exist yet`,
  options: { talks: { type: 'string' }, 'if-match': { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [source]) {
    const ifMatch = stringOption(values, 'if-match');
    if (ifMatch !== undefined && !/^\d+$/.test(ifMatch)) throw usageError(`--if-match takes a version number, not ${ifMatch}`);
    const events = parseEvents(await readSource(source!), source === '-' ? 'stdin' : source!);
    const groups = groupByTalks(events, stringOption(values, 'talks'));
    if (ifMatch !== undefined && groups.length > 1)
      throw new CliError(exitCodes.usage, '--if-match applies to one talks; these events name several');
    const rows: StoredRow[] = [];
    for (const group of groups) {
      rows.push(
        ...(await submitInBatches(ctx.client, group.talksId, group.events, {
          progress: ctx.progress,
          ...(ifMatch === undefined ? {} : { expectedVersion: Number(ifMatch) }),
        })),
      );
    }
    ctx.progress.done();
    printStored(ctx, rows);
  },
};
