import type { JSONWebKeySet } from 'jose';
import { type CheckpointResponse, verifyCheckpointResponse } from '../../functions/domain/checkpoint.js';
import { talksPath } from './api-client.js';
import { CliError, exitCodes, usageError } from './cli-errors.js';
import { type Command, type CommandContext, stringOption } from './command.js';
import { readJwks } from './verify-command.js';

/** A positive whole number option, or a usage error naming it. */
export function sizeOption(values: Record<string, unknown>, name: string, required: boolean): number | undefined {
  const raw = values[name];
  if (raw === undefined) {
    if (required) throw usageError(`--${name} <n> is required`);
    return undefined;
  }
  if (typeof raw !== 'string' || !/^[1-9]\d{0,15}$/.test(raw))
    throw usageError(`--${name} must be a whole number from 1, got ${String(raw)}`);
  return Number(raw);
}

/** GET /talks/{id}/checkpoint, the latest or at a size. */
export async function fetchCheckpoint(ctx: CommandContext, talksId: string, treeSize?: number): Promise<CheckpointResponse> {
  const query = treeSize === undefined ? '' : `?treeSize=${treeSize}`;
  return (await ctx.client.request<CheckpointResponse>('GET', talksPath(talksId, `/checkpoint${query}`))).body;
}

export const jwksSource = (ctx: CommandContext, values: Record<string, unknown>) =>
  stringOption(values as never, 'jwks') ?? `${ctx.client.baseUrl}/.well-known/jwks.json`;

/** The signature of a checkpoint, or exit 9 naming what failed. */
export async function checkSigned(checkpoint: CheckpointResponse, jwks: JSONWebKeySet, what: string): Promise<string> {
  const verified = await verifyCheckpointResponse(checkpoint, jwks);
  if (!verified.ok)
    throw new CliError(
      exitCodes.verification,
      `The ${what} of ${checkpoint.talksId} (tree size ${checkpoint.treeSize}) does not verify: ${verified.failure}: ${verified.detail}`,
    );
  return verified.kid;
}

export const checkpointCommand: Command = {
  name: 'checkpoint',
  summary: 'print the signed checkpoint of a talks (its Merkle tree head), checked against the published keys',
  help: `talks checkpoint <talksId> [--tree-size <n>] [--jwks <file|url>] [--json]

Fetches GET /talks/{id}/checkpoint: the RFC 9162 root of the talks' events, signed (ES256
JWS). The signature is checked with the published keys before anything is printed.
With --json, prints exactly the API's answer: save it, and give it later to
"talks verify <export> --checkpoint <file>" or "talks proof consistency --old <file>".

  --tree-size <n>     the checkpoint signed at that size (a submission's head)
  --jwks <file|url>   the public keys; default: <--url>/.well-known/jwks.json`,
  options: { 'tree-size': { type: 'string' }, jwks: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [talksId]) {
    const checkpoint = await fetchCheckpoint(ctx, talksId!, sizeOption(values, 'tree-size', false));
    const kid = await checkSigned(checkpoint, await readJwks(jwksSource(ctx, values)), 'checkpoint');
    if (ctx.json) {
      ctx.out(JSON.stringify(checkpoint));
      return;
    }
    ctx.out(
      [
        `Checkpoint of ${checkpoint.talksId}: signature OK (key ${kid})`,
        `Tree size    ${checkpoint.treeSize} (versions 1 to ${checkpoint.treeSize})`,
        `Root hash    ${checkpoint.rootHash}`,
        `Signed at    ${checkpoint.signedAt}`,
        `JWS          ${checkpoint.checkpoint}`,
      ].join('\n'),
    );
  },
};
