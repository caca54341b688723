import { type CompleteSubtrees, hashChildren, hashSize } from './merkle-tree.js';

/**
 * Every complete subtree of a list of leaf hashes, kept in memory: the tree built from
 * all leaves, which proofs served from stored tiles must agree with. Appending is
 * O(log n) per leaf; a proof for any size up to `size` can be made from it.
 */
export class MemoryTree implements CompleteSubtrees {
  private readonly levels: Buffer[][] = [[]];

  constructor(leafHashes: Iterable<Buffer> = []) {
    for (const leaf of leafHashes) this.append(leaf);
  }

  get size(): number {
    return this.levels[0]?.length ?? 0;
  }

  append(leafHash: Buffer): void {
    if (leafHash.length !== hashSize) throw new RangeError('a leaf hash is 32 bytes');
    let level = 0;
    let hash = leafHash;
    for (;;) {
      const row = this.levels[level] ?? [];
      this.levels[level] = row;
      row.push(hash);
      const left = row[row.length - 2];
      if (row.length % 2 === 1 || left === undefined) return;
      hash = hashChildren(left, hash);
      level += 1;
    }
  }

  hash(level: number, index: number): Buffer {
    const found = this.levels[level]?.[index];
    if (found === undefined) throw new RangeError(`the subtree (${level}, ${index}) is not complete in a tree of size ${this.size}`);
    return found;
  }
}
