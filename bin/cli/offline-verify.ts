import type { JSONWebKeySet } from 'jose';
import { ChainVerifier } from '../../functions/domain/audit.js';
import { type CheckpointResponse, verifyCheckpointResponse } from '../../functions/domain/checkpoint.js';
import { MemoryTree } from '../../functions/domain/memory-tree.js';
import { eventLeafHash, rootHash } from '../../functions/domain/merkle-tree.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';

/** One check of `talks verify`, in the order they are reported. */
export interface VerifyCheck {
  name: 'signature' | 'hash chain' | 'tree root' | 'coverage';
  ok: boolean;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  talksId: string;
  events: number;
  treeSize: number;
  signedAt: string;
  kid: string | null;
  /** The last version the checkpoint's signature vouches for (0 when none). */
  coveredThrough: number;
  /** The first version no valid checkpoint covers, or null when every version is covered. */
  firstUncovered: number | null;
  checks: VerifyCheck[];
}

/**
 * Verifies an export against a signed checkpoint with no server: the checkpoint's
 * signature, every hash and link of the export, the RFC 9162 root of its first treeSize
 * events, and that no event lies beyond what was signed. Each failure is named.
 */
export async function verifyOffline(
  events: readonly Record<string, unknown>[],
  checkpoint: CheckpointResponse,
  jwks: JSONWebKeySet,
): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const signature = await verifyCheckpointResponse(checkpoint, jwks);
  // Only signed values count; the plain fields are used when the signature failed anyway.
  const { talksId, treeSize, rootHash: signedRoot } = signature.ok ? signature.payload : checkpoint;
  checks.push(
    signature.ok
      ? { name: 'signature', ok: true, detail: `valid, by key ${signature.kid}` }
      : { name: 'signature', ok: false, detail: `${signature.failure.replace('-', ' ')}: ${signature.detail}` },
  );

  const chain = new ChainVerifier(talksId);
  const tree = new MemoryTree();
  let unusable: string | undefined;
  for (const [i, event] of events.entries()) {
    if (typeof event.hash !== 'string' || !/^[0-9a-f]{64}$/.test(event.hash)) {
      unusable = `line ${i + 1} has no event hash: is this the output of "talks export"?`;
      break;
    }
    chain.push(event as unknown as StoredEvent);
    tree.append(eventLeafHash(event.hash));
  }
  const problem = chain.problems[0];
  checks.push(
    unusable !== undefined
      ? { name: 'hash chain', ok: false, detail: unusable }
      : problem === undefined
        ? { name: 'hash chain', ok: true, detail: `versions 1 to ${events.length}, every hash recomputed and linked` }
        : { name: 'hash chain', ok: false, detail: `broken at version ${problem.version}: ${problem.kind}: ${problem.detail}` },
  );

  if (tree.size < treeSize) {
    checks.push({ name: 'tree root', ok: false, detail: `the export holds ${tree.size} events, the checkpoint covers ${treeSize}` });
  } else {
    const root = rootHash(tree, treeSize).toString('hex');
    checks.push(
      root === signedRoot
        ? { name: 'tree root', ok: true, detail: `the first ${treeSize} events have the signed root ${root}` }
        : {
            name: 'tree root',
            ok: false,
            detail: `root mismatch: the first ${treeSize} events have the root ${root}, the checkpoint signs ${signedRoot}`,
          },
    );
  }

  // A valid signature over the root vouches for the first treeSize hashes; an event whose
  // content does not match its hash is not what was signed, nor is anything after it.
  const signedRootHolds = checks.every((c) => c.ok || c.name === 'hash chain');
  const coveredThrough = signedRootHolds ? Math.min(treeSize, (problem?.version ?? Number.POSITIVE_INFINITY) - 1) : 0;
  const firstUncovered = events.length > coveredThrough ? coveredThrough + 1 : null;
  checks.push(
    firstUncovered === null
      ? { name: 'coverage', ok: true, detail: `every version (1 to ${events.length}) is covered by the checkpoint` }
      : {
          name: 'coverage',
          ok: false,
          detail: `first version not covered: ${firstUncovered} of ${events.length}${coveredThrough === treeSize ? ` (the checkpoint covers versions 1 to ${treeSize}; a newer checkpoint may cover the rest)` : ''}`,
        },
  );
  return {
    ok: checks.every((c) => c.ok),
    talksId,
    events: events.length,
    treeSize,
    signedAt: signature.ok ? signature.payload.signedAt : checkpoint.signedAt,
    kid: signature.ok ? signature.kid : null,
    coveredThrough,
    firstUncovered,
    checks,
  };
}
