import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../functions/domain/memory-tree.js';
import { consistencyProof, hashLeaf, inclusionProof, rootHash } from '../../functions/domain/merkle-tree.js';
import {
  completedHeights,
  extendTree,
  frontierNodes,
  frontierRoot,
  joinHashes,
  StoredSubtrees,
  splitHashes,
  type VersionNodes,
  versionsFor,
} from '../../functions/domain/tree-nodes.js';

const leaf = (i: number) => hashLeaf(createHash('sha256').update(`event ${i}`).digest());
const hex = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('hex')).join(',');

/** Appends in submissions of the given sizes, keeping what each version would store. */
function appendInBatches(batches: readonly number[]) {
  const stored = new Map<number, VersionNodes>();
  let size = 0;
  let frontier: Buffer[] = [];
  const roots: Buffer[] = [];
  for (const count of batches) {
    const leaves = Array.from({ length: count }, (_, i) => leaf(size + i));
    const next = extendTree(size, frontier, leaves);
    for (const [i, nodes] of next.completed.entries()) stored.set(size + i + 1, [leaves[i] as Buffer, ...nodes]);
    ({ size, frontier } = next);
    roots.push(next.root);
  }
  return { stored, size, frontier, roots };
}

describe('the tree stored with its versions', () => {
  it('stores with version v the nodes its leaf completes: tz(v) of them, one on average', () => {
    expect([1, 2, 3, 4, 8, 12, 1024].map(completedHeights)).toEqual([0, 1, 0, 2, 3, 2, 10]);
    const { stored } = appendInBatches([25, 25, 14]);
    for (const [version, nodes] of stored) expect(nodes).toHaveLength(1 + completedHeights(version));
  });

  it('gives, after any submissions, the root and proofs of the tree built from all leaves', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 12 }), (batches) => {
        const { stored, size, frontier, roots } = appendInBatches(batches);
        const all = new MemoryTree(Array.from({ length: size }, (_, i) => leaf(i)));
        let at = 0;
        batches.forEach((count, i) => {
          at += count;
          expect(roots[i]?.toString('hex')).toBe(rootHash(all, at).toString('hex'));
        });
        expect(frontier).toHaveLength(frontierNodes(size).length);
        expect(frontierRoot(frontier).toString('hex')).toBe(rootHash(all, size).toString('hex'));
        const tree = new StoredSubtrees(stored);
        for (let m = 1; m <= size; m += 1) {
          expect(hex(inclusionProof(tree, m - 1, size))).toBe(hex(inclusionProof(all, m - 1, size)));
          expect(hex(consistencyProof(tree, m, size))).toBe(hex(consistencyProof(all, m, size)));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('reads O(log n) versions for a proof, and only versions at or below the tree size', () => {
    for (const n of [100, 10_000, 100_000]) {
      const bound = 2 * Math.ceil(Math.log2(n)) + 2;
      for (const index of [0, 1, Math.floor(n / 3), n - 2, n - 1]) {
        const versions = versionsFor((t) => inclusionProof(t, index, n));
        expect(versions.length).toBeLessThanOrEqual(bound);
        expect(Math.max(...versions)).toBeLessThanOrEqual(n);
      }
      for (const m of [1, 7, Math.floor(n / 2), n - 1])
        expect(versionsFor((t) => consistencyProof(t, m, n)).length).toBeLessThanOrEqual(bound);
    }
  });

  it('refuses a frontier that does not fit the size, and stored hashes that are not 32 bytes each', () => {
    expect(() => extendTree(3, [leaf(0)], [leaf(3)])).toThrow(/frontier/);
    expect(splitHashes(joinHashes([leaf(1), leaf(2)]))).toEqual([leaf(1), leaf(2)]);
    expect(() => splitHashes(Buffer.alloc(33))).toThrow(/multiple of 32/);
  });
});
