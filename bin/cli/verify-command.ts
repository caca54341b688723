import type { JSONWebKeySet } from 'jose';
import { CheckpointResponse } from '../../functions/domain/checkpoint.js';
import { CliError, exitCodes } from './cli-errors.js';
import { type Command, stringOption } from './command.js';
import { parseEvents, readSource } from './input.js';
import { verifyOffline } from './offline-verify.js';

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(exitCodes.input, `${name} is not JSON: ${(error as Error).message}`);
  }
}

export async function readCheckpoint(file: string): Promise<CheckpointResponse> {
  const parsed = CheckpointResponse.safeParse(parseJson(await readSource(file), file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      exitCodes.input,
      `${file} is not a checkpoint ({"talksId","treeSize","rootHash","signedAt","checkpoint"}, as "talks checkpoint --json" prints it): ${issue?.path.join('.') || 'body'}: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

/** The published keys: a file, a URL, or the API's /.well-known/jwks.json. */
export async function readJwks(source: string): Promise<JSONWebKeySet> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { headers: { accept: 'application/json' } });
    } catch (error) {
      throw new CliError(exitCodes.unavailable, `Cannot fetch the JWKS at ${source}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new CliError(exitCodes.unavailable, `Cannot fetch the JWKS at ${source}: HTTP ${response.status}`);
    text = await response.text();
  } else {
    text = await readSource(source);
  }
  const jwks = parseJson(text, source) as { keys?: unknown };
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(jwks.keys))
    throw new CliError(exitCodes.input, `${source} is not a JWKS (an object with a "keys" array)`);
  return jwks as JSONWebKeySet;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify an export offline against a signed checkpoint (no server needed)',
  help: `talks verify <export.jsonl> --checkpoint <file> [--jwks <file|url>]

Verifies, on this machine alone, that an export ("talks export") is the log a signed
checkpoint ("talks checkpoint --json") vouches for:
  - the checkpoint's ES256 signature, with the published keys (--jwks);
  - every event's hash recomputed from its content, and linked to the hash before it;
  - the RFC 9162 Merkle root of the first treeSize events equals the signed rootHash;
  - no event beyond treeSize: every version is covered by the signature.
Exits 0 when all hold, 9 when any fails, naming the first version not covered.

  --checkpoint <file>   the checkpoint, as GET /talks/{id}/checkpoint answers it
  --jwks <file|url>     the public keys (a JWKS); default: <--url>/.well-known/jwks.json
                        (keep a copy: a key that signed once must be the one you check)`,
  options: { checkpoint: { type: 'string' }, jwks: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [source]) {
    const checkpointFile = stringOption(values, 'checkpoint');
    if (checkpointFile === undefined)
      throw new CliError(exitCodes.usage, 'talks verify needs --checkpoint <file>\nRun "talks --help" for usage.');
    const checkpoint = await readCheckpoint(checkpointFile);
    const jwks = await readJwks(stringOption(values, 'jwks') ?? `${ctx.client.baseUrl}/.well-known/jwks.json`);
    const events = parseEvents(await readSource(source!), source === '-' ? 'stdin' : source!);
    const report = await verifyOffline(events, checkpoint, jwks);
    if (ctx.json) ctx.out(JSON.stringify(report, null, 2));
    else
      ctx.out(
        [
          `Verification of ${report.talksId}: ${report.ok ? 'OK' : 'FAILED'}`,
          `Events       ${report.events}`,
          `Checkpoint   tree size ${report.treeSize}, signed at ${report.signedAt}`,
          ...report.checks.map((c) => `${c.name.padEnd(12)} ${c.ok ? 'ok' : 'FAILED'}: ${c.detail}`),
        ].join('\n'),
      );
    const failures = report.checks.filter((c) => !c.ok);
    const [first] = failures;
    if (first !== undefined)
      throw new CliError(
        exitCodes.verification,
        `The export of ${report.talksId} does not verify: ${first.name}: ${first.detail}`,
        failures.slice(1).map((c) => `${c.name}: ${c.detail}`),
      );
  },
};
