import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../functions/domain/memory-tree.js';
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from '../../functions/domain/merkle-tree.js';
import { extendTree, StoredSubtrees, type VersionNodes } from '../../functions/domain/tree-nodes.js';
import * as rfc from '../support/rfc9162-reference.js';

/**
 * Our tree against RFC 9162 section 2.1 as its text defines it (test/support/rfc9162-reference.ts,
 * no shared code): roots, inclusion and consistency proofs for every leaf and every pair of
 * sizes up to 40, computed in memory and from the nodes the append stores, and each side's
 * verifier accepting the other's proofs.
 */
const sizes = 40;
const leaves = Array.from({ length: sizes }, (_, i) => randomBytes(i % 7 === 0 ? 32 : 1 + (i % 50)));
const memory = new MemoryTree(leaves.map(hashLeaf));
/** The tree as the append stores it (leaf and completed nodes per version), fed in uneven batches. */
function storedTree(): StoredSubtrees {
  const byVersion = new Map<number, VersionNodes>();
  let size = 0;
  let frontier: Buffer[] = [];
  for (let start = 0; start < sizes; ) {
    const batch = leaves.slice(start, start + 1 + (start % 4)).map(hashLeaf);
    const next = extendTree(size, frontier, batch);
    for (const [i, leaf] of batch.entries()) byVersion.set(size + i + 1, [leaf, ...(next.completed[i] ?? [])]);
    ({ size, frontier } = next);
    start += batch.length;
  }
  return new StoredSubtrees(byVersion);
}
const stored = storedTree();
const hex = (path: readonly Buffer[]) => path.map((h) => h.toString('hex'));

describe('the tree against the RFC 9162 text', () => {
  it('has the RFC root at every size, in memory and from stored nodes', () => {
    for (let n = 1; n <= sizes; n += 1) {
      const expected = rfc.mth(leaves.slice(0, n)).toString('hex');
      expect(rootHash(memory, n).toString('hex'), `n=${n}`).toBe(expected);
      expect(rootHash(stored, n).toString('hex'), `n=${n}`).toBe(expected);
    }
    expect(rootHash(memory, 0)).toEqual(rfc.mth([]));
  });

  it('gives PATH(m, D[n]) for every leaf of every size, and the RFC verification accepts it', () => {
    for (let n = 1; n <= sizes; n += 1) {
      const root = rfc.mth(leaves.slice(0, n));
      for (let m = 0; m < n; m += 1) {
        const expected = rfc.path(m, leaves.slice(0, n));
        expect(hex(inclusionProof(memory, m, n)), `m=${m} n=${n}`).toEqual(hex(expected));
        expect(hex(inclusionProof(stored, m, n)), `m=${m} n=${n}`).toEqual(hex(expected));
        expect(rfc.verifyInclusion(m, n, leaves[m] as Buffer, expected, root)).toBe(true);
        expect(verifyInclusion(hashLeaf(leaves[m] as Buffer), m, n, expected, root)).toBe(true);
      }
    }
  });

  it('gives PROOF(m, D[n]) for every pair of sizes, and the RFC verification accepts it', () => {
    for (let n = 1; n <= sizes; n += 1) {
      const second = rfc.mth(leaves.slice(0, n));
      for (let m = 1; m <= n; m += 1) {
        const expected = rfc.proof(m, leaves.slice(0, n));
        const first = rfc.mth(leaves.slice(0, m));
        expect(hex(consistencyProof(memory, m, n)), `m=${m} n=${n}`).toEqual(hex(expected));
        expect(hex(consistencyProof(stored, m, n)), `m=${m} n=${n}`).toEqual(hex(expected));
        expect(rfc.verifyConsistency(m, n, first, second, expected), `m=${m} n=${n}`).toBe(true);
        expect(verifyConsistency(m, n, expected, first, second), `m=${m} n=${n}`).toBe(true);
      }
    }
  });

  it('the RFC verification refuses a flipped byte, another size or another root (the reference can fail)', () => {
    const n = 27;
    const root = rfc.mth(leaves.slice(0, n));
    const path = rfc.path(5, leaves.slice(0, n));
    const flipped = path.map((h, i) => (i === 1 ? Buffer.from(h.map((b, j) => (j === 0 ? b ^ 1 : b))) : h));
    expect(rfc.verifyInclusion(5, n, leaves[5] as Buffer, flipped, root), 'case 0').toBe(false);
    expect(rfc.verifyInclusion(5, 16, leaves[5] as Buffer, path, root), 'case 1').toBe(false);
    expect(rfc.verifyInclusion(6, n, leaves[5] as Buffer, path, root), 'case 2').toBe(false);
    const proof = rfc.proof(11, leaves.slice(0, n));
    const first = rfc.mth(leaves.slice(0, 11));
    expect(rfc.verifyConsistency(11, n, first, root, proof.slice(1)), 'case 3').toBe(false);
    expect(rfc.verifyConsistency(11, n, root, first, proof), 'case 4').toBe(false);
    expect(rfc.verifyConsistency(12, n, first, root, proof), 'case 5').toBe(false);
  });
});
