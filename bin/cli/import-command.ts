import { genesisHash, verifyEventHash } from '../../functions/domain/hash-chain.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { upcast } from '../../functions/domain/upcasters.js';
import { CliError, exitCodes } from './cli-errors.js';
import type { Command } from './command.js';
import { historyPages, type StoredEventJson } from './history-pages.js';
import { parseEvents, readSource } from './input.js';
import { submitInBatches } from './submit-events.js';

/** Checks an export is one whole, untampered log: versions 1..n, every hash and link. */
export function verifyExport(events: readonly Record<string, unknown>[]): StoredEventJson[] {
  const fail = (i: number, why: string) =>
    new CliError(exitCodes.verification, `The export does not verify at line ${i + 1}: ${why}; nothing was imported`);
  const talksId = events[0]?.talksId;
  let prevHash = genesisHash;
  events.forEach((e, i) => {
    if (typeof e.hash !== 'string' || typeof e.prevHash !== 'string') throw fail(i, 'no hash: is this the output of "talks export"?');
    if (e.talksId !== talksId) throw fail(i, `it belongs to ${String(e.talksId)}, not ${String(talksId)}`);
    if (e.version !== i + 1) throw fail(i, `expected version ${i + 1}, found ${String(e.version)}`);
    if (e.prevHash !== prevHash) throw fail(i, `version ${i + 1} does not link to the hash before it`);
    if (!verifyEventHash(e as { prevHash: string; hash: string })) throw fail(i, `the content of version ${i + 1} does not match its hash`);
    prevHash = e.hash;
  });
  return events as StoredEventJson[];
}

/** What a client submits of a stored event: the store assigns the rest anew. */
function asSubmission(event: StoredEventJson): Record<string, unknown> {
  // Older schema versions are upcast: the target validates against the current catalog.
  const {
    talksId: _t,
    version: _v,
    recordedAt: _r,
    recordedBy: _b,
    schemaVersion: _s,
    prevHash: _p,
    hash: _h,
    ...submitted
  } = upcast(event as unknown as StoredEvent) as unknown as StoredEventJson;
  return submitted;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'replay an export into another store, after verifying its hash chain',
  help: `talks import <export.jsonl|-> [--url <target API>]

Replays the output of "talks export" into the store at --url/TALKS_URL. First the export
is verified (versions 1..n gapless, every hash recomputed, every link to the hash before
it); a broken chain imports nothing (exit 9). The events are then submitted in order,
25 to a transaction, each on top of the one before (If-Match).

Event ids are kept, so importing the same export twice stores nothing twice, and an
interrupted import resumes where it stopped. The target must not hold other events for
that talks (exit 6). In the target the server assigns recordedAt, recordedBy (your
token's principal) and therefore new hashes: the content, order and versions are the
same, the transaction times are not. Events of older schema versions are upcast.`,
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, _values, [source]) {
    const events = verifyExport(parseEvents(await readSource(source!), source === '-' ? 'stdin' : source!));
    const talksId = events[0]!.talksId;
    ctx.progress.update(`verified ${events.length} events of ${talksId}`);
    const existing: StoredEventJson[] = [];
    try {
      for await (const page of historyPages(ctx.client, talksId)) existing.push(...page);
    } catch (error) {
      if (!(error instanceof CliError && error.exitCode === exitCodes.notFound)) throw error;
    }
    const differs = existing.findIndex((e, i) => events[i]?.eventId !== e.eventId);
    if (differs !== -1) {
      throw new CliError(
        exitCodes.conflict,
        `${talksId} at ${ctx.client.baseUrl} already holds other events (version ${existing[differs]!.version} is not the export's); nothing was imported`,
      );
    }
    const rest = events.slice(existing.length).map(asSubmission);
    const rows = await submitInBatches(ctx.client, talksId, rest, {
      progress: ctx.progress,
      expectedVersion: existing.length,
      label: 'imported',
    });
    const head = rows.at(-1) ?? existing.at(-1);
    const summary = {
      talksId,
      url: ctx.client.baseUrl,
      verified: events.length,
      alreadyThere: existing.length,
      imported: rows.length,
      headVersion: head?.version ?? 0,
    };
    ctx.progress.done();
    ctx.out(
      ctx.json
        ? JSON.stringify(summary, null, 2)
        : `Verified ${events.length} events of ${talksId}; imported ${rows.length} into ${ctx.client.baseUrl} (${existing.length} were already there); now at version ${summary.headVersion}`,
    );
  },
};
