import { assembleCheckpoint, type CheckpointResponse, checkpointSignature } from '../domain/checkpoint.js';
import { hashSize } from '../domain/merkle-tree.js';
import { joinHashes, splitHashes, type VersionNodes } from '../domain/tree-nodes.js';
import { hashText } from './item-keys.js';

/**
 * The tree's stored attributes, in one place (see functions/domain/tree-nodes.ts):
 * - an event item: `tree`, the node hashes its leaf completes (heights 1 up; absent for odd
 *   versions), and on a submission's head `cp`, the head's checkpoint;
 * - the status item: `frontier` and `treeBase` (the versions whose nodes the rebuild keeps
 *   in tree items, for talks stored before trees; 0 or absent otherwise);
 * - a tree item (State table, pk "tree#<talksId>", sk = version): `nodes`, heights 0 up,
 *   and `cp` when the rebuild signed that version.
 * All binary: a hash is 32 bytes, not 64 hex characters, and every byte is write capacity.
 */

export const treeItemKey = (talksId: string, version: number) => ({ pk: `tree#${talksId}`, sk: version });

/** A checkpoint stored as its parts: root (32) | raw signature (64) | kid (32) | signedAt ms (8), 136 bytes. */
export interface StoredCheckpoint {
  rootHash: string;
  signedAt: string;
  kid: string;
  signature: Uint8Array;
}

export function encodeCheckpoint({ rootHash, signedAt, kid, signature }: StoredCheckpoint): Buffer {
  const kidBytes = Buffer.from(kid, 'base64url');
  const at = new Date(signedAt);
  // The parts must give back exactly what was signed, or the stored checkpoint would not verify.
  if (kidBytes.length !== hashSize || kidBytes.toString('base64url') !== kid) throw new RangeError(`kid ${kid} is not a JWK thumbprint`);
  if (at.toISOString() !== signedAt) throw new RangeError(`signedAt ${signedAt} is not an ISO time in milliseconds`);
  if (signature.length !== 64) throw new RangeError('an ES256 signature is 64 bytes');
  const time = Buffer.alloc(8);
  time.writeBigInt64BE(BigInt(at.getTime()));
  return Buffer.concat([Buffer.from(rootHash, 'hex'), Buffer.from(signature), kidBytes, time]);
}

export function decodeCheckpoint(talksId: string, treeSize: number, bytes: Uint8Array): CheckpointResponse {
  const b = Buffer.from(bytes);
  if (b.length !== 136) throw new RangeError(`a stored checkpoint is 136 bytes, not ${b.length}`);
  const payload = {
    talksId,
    treeSize,
    rootHash: b.subarray(0, 32).toString('hex'),
    signedAt: new Date(Number(b.readBigInt64BE(128))).toISOString(),
  };
  return { ...payload, checkpoint: assembleCheckpoint(b.subarray(96, 128).toString('base64url'), payload, b.subarray(32, 96)) };
}

export const storedCheckpointOf = (jws: string, kid: string, rootHash: string, signedAt: string): StoredCheckpoint => ({
  rootHash,
  signedAt,
  kid,
  signature: checkpointSignature(jws),
});

/** The tree attributes an appended event item carries. */
export function eventTreeAttributes(completed: readonly Uint8Array[], checkpoint?: Uint8Array): Record<string, Uint8Array> {
  return {
    ...(completed.length === 0 ? {} : { tree: joinHashes(completed) }),
    ...(checkpoint === undefined ? {} : { cp: checkpoint }),
  };
}

/** The tree attributes the status item carries. */
export const statusTreeAttributes = (frontier: readonly Uint8Array[], treeBase: number) => ({
  frontier: joinHashes(frontier),
  ...(treeBase > 0 ? { treeBase } : {}),
});

/** What the status item says of the tree, or undefined when it was never built. */
export function treeStateOf(item: {
  version: number;
  frontier?: unknown;
  treeBase?: unknown;
}): { size: number; frontier: Buffer[]; treeBase: number } | undefined {
  if (item.version === 0) return { size: 0, frontier: [], treeBase: 0 };
  if (!(item.frontier instanceof Uint8Array)) return undefined;
  return { size: item.version, frontier: splitHashes(item.frontier), treeBase: typeof item.treeBase === 'number' ? item.treeBase : 0 };
}

/** The nodes an event item holds: its leaf hash from `hash`, then its `tree`. */
export function eventItemNodes(item: Record<string, unknown>, leafHash: (hex: string) => Buffer): VersionNodes {
  // The hash is 32 bytes in the compact layout, 64 hex digits in the older one (item-keys.ts).
  return [leafHash(String(hashText(item.hash))), ...splitHashes(item.tree as Uint8Array | undefined)];
}

export const treeItemNodes = (item: Record<string, unknown>): VersionNodes => splitHashes(item.nodes as Uint8Array | undefined);

/** Attributes of an event item that are the tree's, never the event's. */
export const treeAttributeNames: readonly string[] = ['tree', 'cp'];
