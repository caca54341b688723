import { type CompleteSubtrees, emptyTreeRoot, hashChildren, hashSize } from './merkle-tree.js';

/**
 * How a talks' RFC 9162 tree is stored, at almost no write cost: the node hashes an
 * append completes travel in the event items it appends, and the frontier travels in the
 * status item.
 *
 * Leaf v (version v, 0-based index v - 1) completes the aligned subtrees that end with
 * it: heights 1 to tz(v), tz the number of trailing zero bits of v. So node (h, i), the
 * subtree over leaves [i·2^h, (i+1)·2^h), is kept with version (i+1)·2^h, and any node a
 * proof needs is one item read, found by arithmetic. On average a leaf completes one node:
 * an append adds 32 bytes to its event item, and a proof reads O(log n) items.
 *
 * The frontier of a tree of size n is the list of its maximal complete subtrees, left to
 * right, one per set bit of n (at most log2 n + 1 hashes): enough to extend the tree and
 * to compute its root, with nothing else read.
 */

/** Heights of the subtrees leaf `version` completes, beyond the leaf itself. */
export function completedHeights(version: number): number {
  let heights = 0;
  for (let v = version; v % 2 === 0 && v > 0; v /= 2) heights += 1;
  return heights;
}

/** Where node (level, index) is kept: with the version whose leaf completes it. */
export const nodeVersion = (level: number, index: number): number => (index + 1) * 2 ** level;

/** The frontier's root: the RFC 9162 root of the whole tree of that size. */
export function frontierRoot(frontier: readonly Uint8Array[]): Buffer {
  let root: Uint8Array | undefined;
  for (let i = frontier.length - 1; i >= 0; i -= 1)
    root = root === undefined ? (frontier[i] as Uint8Array) : hashChildren(frontier[i] as Uint8Array, root);
  return root === undefined ? emptyTreeRoot : Buffer.from(root);
}

const popcount = (n: number): number => {
  let count = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
};

export interface TreeExtension {
  /** Per new leaf, in order: the node hashes it completes, heights 1 to tz(version). */
  completed: Buffer[][];
  frontier: Buffer[];
  size: number;
  root: Buffer;
}

/** Appends leaf hashes to a tree given by its size and frontier. */
export function extendTree(size: number, frontier: readonly Uint8Array[], leafHashes: readonly Uint8Array[]): TreeExtension {
  if (popcount(size) !== frontier.length)
    throw new RangeError(`a tree of size ${size} has ${popcount(size)} frontier hashes, not ${frontier.length}`);
  const next: Buffer[] = frontier.map((h) => Buffer.from(h));
  const completed: Buffer[][] = [];
  let n = size;
  for (const leaf of leafHashes) {
    if (leaf.length !== hashSize) throw new RangeError('a leaf hash is 32 bytes');
    let node: Buffer = Buffer.from(leaf);
    const nodes: Buffer[] = [];
    // Each set low bit of n is a complete subtree of that height waiting for its right sibling.
    for (let bits = n; bits % 2 === 1; bits = Math.floor(bits / 2)) {
      node = hashChildren(next.pop() as Buffer, node);
      nodes.push(node);
    }
    next.push(node);
    completed.push(nodes);
    n += 1;
  }
  return { completed, frontier: next, size: n, root: frontierRoot(next) };
}

/** The nodes of the frontier of size n: (level, index) of each maximal complete subtree, left to right. */
export function frontierNodes(n: number): { level: number; index: number }[] {
  const nodes: { level: number; index: number }[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level -= 1) {
    const width = 2 ** level;
    if (n - start >= width) {
      nodes.push({ level, index: start / width });
      start += width;
    }
  }
  return nodes;
}

/** What one stored version holds of the tree: index 0 the leaf hash, then heights 1 to tz(v). */
export type VersionNodes = readonly Uint8Array[];

/** Complete subtrees read from stored versions (fetched beforehand: see versionsFor). */
export class StoredSubtrees implements CompleteSubtrees {
  constructor(private readonly byVersion: ReadonlyMap<number, VersionNodes>) {}

  hash(level: number, index: number): Buffer {
    const version = nodeVersion(level, index);
    const found = this.byVersion.get(version)?.[level];
    if (found === undefined || found.length !== hashSize) throw new RangeError(`version ${version} holds no node of height ${level}`);
    return Buffer.from(found);
  }
}

/** Which versions a computation over complete subtrees reads: the same for any leaves. */
export function versionsFor(compute: (tree: CompleteSubtrees) => unknown): number[] {
  const seen = new Set<number>();
  compute({
    hash(level, index) {
      seen.add(nodeVersion(level, index));
      return Buffer.alloc(hashSize);
    },
  });
  return [...seen].sort((a, b) => a - b);
}

/** Hashes stored as one binary attribute: 32 bytes each, concatenated. */
export const joinHashes = (hashes: readonly Uint8Array[]): Buffer => Buffer.concat(hashes.map((h) => Buffer.from(h)));

export function splitHashes(bytes: Uint8Array | undefined): Buffer[] {
  if (bytes === undefined) return [];
  if (bytes.length % hashSize !== 0) throw new RangeError(`stored hashes are ${bytes.length} bytes, not a multiple of 32`);
  const hashes: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += hashSize) hashes.push(Buffer.from(bytes.subarray(i, i + hashSize)));
  return hashes;
}
