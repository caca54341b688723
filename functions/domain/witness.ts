import type { JSONWebKeySet } from 'jose';
import { type CheckpointResponse, verifyCheckpointResponse } from './checkpoint.js';
import { verifyConsistency } from './merkle-tree.js';

export type WitnessVerdict = { ok: true; detail: string } | { ok: false; detail: string };

/**
 * What a witness checks before it accepts a new checkpoint of a log it has seen before:
 * the new signature, and that the new tree extends the one it accepted last (an RFC 9162
 * consistency proof between the two roots). A log that forked or was rewritten fails here,
 * whoever signed it. The first checkpoint of a talks is accepted on its signature alone.
 */
export async function witnessCheck(
  previous: CheckpointResponse | undefined,
  next: CheckpointResponse,
  proof: readonly string[] | undefined,
  jwks: JSONWebKeySet,
): Promise<WitnessVerdict> {
  const signed = await verifyCheckpointResponse(next, jwks);
  if (!signed.ok)
    return { ok: false, detail: `the checkpoint at tree size ${next.treeSize} does not verify: ${signed.failure}: ${signed.detail}` };
  if (previous === undefined) return { ok: true, detail: `first checkpoint of ${next.talksId}, tree size ${next.treeSize}` };
  if (previous.talksId !== next.talksId)
    return { ok: false, detail: `a checkpoint of ${next.talksId} offered after one of ${previous.talksId}` };
  if (next.treeSize < previous.treeSize)
    return { ok: false, detail: `the log shrank: tree size ${next.treeSize} after ${previous.treeSize} was published` };
  const path = (proof ?? []).map((h) => Buffer.from(h, 'hex'));
  const consistent = verifyConsistency(
    previous.treeSize,
    next.treeSize,
    path,
    Buffer.from(previous.rootHash, 'hex'),
    Buffer.from(next.rootHash, 'hex'),
  );
  return consistent
    ? { ok: true, detail: `tree size ${next.treeSize} extends the published ${previous.treeSize}` }
    : {
        ok: false,
        detail: `the tree of size ${next.treeSize} (root ${next.rootHash}) does not extend the published one of size ${previous.treeSize} (root ${previous.rootHash})`,
      };
}
