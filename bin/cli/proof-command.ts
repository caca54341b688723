import { hashEvent } from '../../functions/domain/hash-chain.js';
import { eventLeafHash, verifyConsistency, verifyInclusion } from '../../functions/domain/merkle-tree.js';
import { talksPath } from './api-client.js';
import { checkSigned, fetchCheckpoint, jwksSource, sizeOption } from './checkpoint-command.js';
import { CliError, exitCodes, usageError } from './cli-errors.js';
import { type Command, type CommandContext, type OptionValues, stringOption } from './command.js';
import { readCheckpoint, readJwks } from './verify-command.js';

const unhex = (hex: string) => Buffer.from(hex, 'hex');
const failed = (message: string) => new CliError(exitCodes.verification, message);

interface StoredEventLike {
  version: number;
  hash: string;
  [field: string]: unknown;
}

/** The event at a version, its hash recomputed from its content: what the proof is about. */
async function fetchEvent(ctx: CommandContext, talksId: string, version: number): Promise<StoredEventLike> {
  const { body } = await ctx.client.request<{ items: StoredEventLike[] }>(
    'GET',
    talksPath(talksId, `/events?after=${version - 1}&limit=1`),
  );
  const event = body.items[0];
  if (event === undefined || event.version !== version) throw new CliError(exitCodes.notFound, `${talksId} has no version ${version}`);
  const { hash, ...content } = event;
  if (hashEvent(content as unknown as Parameters<typeof hashEvent>[0]) !== hash)
    throw failed(`Version ${version} of ${talksId} does not match its own hash: its content was altered`);
  return event;
}

async function inclusion(ctx: CommandContext, values: OptionValues, talksId: string): Promise<void> {
  const version = sizeOption(values, 'version', true) as number;
  const checkpointFile = stringOption(values, 'checkpoint');
  const checkpoint =
    checkpointFile === undefined
      ? await fetchCheckpoint(ctx, talksId, sizeOption(values, 'tree-size', true))
      : await readCheckpoint(checkpointFile);
  const treeSize = checkpoint.treeSize;
  const kid = await checkSigned(checkpoint, await readJwks(jwksSource(ctx, values)), 'checkpoint');
  const event = await fetchEvent(ctx, talksId, version);
  const { body: proof } = await ctx.client.request<{ version: number; leafIndex: number; treeSize: number; path: string[] }>(
    'GET',
    talksPath(talksId, `/proofs/inclusion?version=${version}&treeSize=${treeSize}`),
  );
  const ok =
    proof.version === version &&
    proof.treeSize === treeSize &&
    verifyInclusion(eventLeafHash(event.hash), version - 1, treeSize, proof.path.map(unhex), unhex(checkpoint.rootHash));
  if (ctx.json)
    ctx.out(
      JSON.stringify(
        { ok, kind: 'inclusion', talksId, version, treeSize, rootHash: checkpoint.rootHash, eventHash: event.hash, proof },
        null,
        2,
      ),
    );
  if (!ok)
    throw failed(
      `The inclusion proof of version ${version} in the tree of size ${treeSize} does not lead to the signed root ${checkpoint.rootHash}`,
    );
  if (!ctx.json)
    ctx.out(
      [
        `Inclusion of ${talksId} version ${version}: OK`,
        `Event hash   ${event.hash} (recomputed from its content)`,
        `Tree         size ${treeSize}, root ${checkpoint.rootHash}, signed at ${checkpoint.signedAt} (key ${kid})`,
        `Proof        ${proof.path.length} hashes (RFC 9162 section 2.1.3)`,
      ].join('\n'),
    );
}

async function consistency(ctx: CommandContext, values: OptionValues, talksId: string): Promise<void> {
  const oldFile = stringOption(values, 'old');
  const older =
    oldFile === undefined ? await fetchCheckpoint(ctx, talksId, sizeOption(values, 'from', true)) : await readCheckpoint(oldFile);
  const newer = await fetchCheckpoint(ctx, talksId, sizeOption(values, 'to', false));
  if (older.talksId !== talksId) throw usageError(`the old checkpoint is of ${older.talksId}, not ${talksId}`);
  const jwks = await readJwks(jwksSource(ctx, values));
  await checkSigned(older, jwks, 'old checkpoint');
  await checkSigned(newer, jwks, 'new checkpoint');
  if (older.treeSize > newer.treeSize)
    throw failed(`The log shrank: a checkpoint of size ${older.treeSize} was signed, now ${newer.treeSize}`);
  const { body: proof } = await ctx.client.request<{ from: number; to: number; path: string[] }>(
    'GET',
    talksPath(talksId, `/proofs/consistency?from=${older.treeSize}&to=${newer.treeSize}`),
  );
  const ok =
    proof.from === older.treeSize &&
    proof.to === newer.treeSize &&
    verifyConsistency(older.treeSize, newer.treeSize, proof.path.map(unhex), unhex(older.rootHash), unhex(newer.rootHash));
  if (ctx.json)
    ctx.out(
      JSON.stringify(
        {
          ok,
          kind: 'consistency',
          talksId,
          from: older.treeSize,
          to: newer.treeSize,
          fromRoot: older.rootHash,
          toRoot: newer.rootHash,
          proof,
        },
        null,
        2,
      ),
    );
  if (!ok)
    throw failed(
      `The tree of size ${newer.treeSize} does not extend the one of size ${older.treeSize}: the log before version ${older.treeSize + 1} was rewritten, or the proof is wrong`,
    );
  if (!ctx.json)
    ctx.out(
      [
        `Consistency of ${talksId}: OK, the log only grew`,
        `From         size ${older.treeSize}, root ${older.rootHash}, signed at ${older.signedAt}`,
        `To           size ${newer.treeSize}, root ${newer.rootHash}, signed at ${newer.signedAt}`,
        `Proof        ${proof.path.length} hashes (RFC 9162 section 2.1.4)`,
      ].join('\n'),
    );
}

export const proofCommand: Command = {
  name: 'proof',
  summary: 'fetch and verify an inclusion or consistency proof against signed checkpoints',
  help: `talks proof inclusion <talksId> --version <v> (--tree-size <n> | --checkpoint <file>) [--jwks <file|url>]
talks proof consistency <talksId> (--from <m> | --old <file>) [--to <n>] [--jwks <file|url>]

inclusion     proves that version v, as its content says (its hash recomputed), is in the
              signed tree of size n (RFC 9162 section 2.1.3)
consistency   proves that the signed tree of size n (default: the latest) extends the one of
              size m: nothing up to version m was changed since (RFC 9162 section 2.1.4).
              Give the checkpoint you kept with --old: the server's word is not needed.
Every checkpoint's signature is checked with the published keys. Exits 0 when the proof
holds, 9 when not, naming what failed.`,
  options: {
    version: { type: 'string' },
    'tree-size': { type: 'string' },
    checkpoint: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    old: { type: 'string' },
    jwks: { type: 'string' },
  },
  positionals: { min: 2, max: 2 },
  async run(ctx, values, [kind, talksId]) {
    if (kind === 'inclusion') return inclusion(ctx, values, talksId!);
    if (kind === 'consistency') return consistency(ctx, values, talksId!);
    throw usageError(`talks proof inclusion|consistency, not ${kind}`);
  },
};
