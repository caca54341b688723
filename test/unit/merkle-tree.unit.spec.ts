import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../functions/domain/memory-tree.js';
import {
  consistencyProof,
  emptyTreeRoot,
  eventLeafHash,
  hashChildren,
  hashLeaf,
  inclusionProof,
  rootHash,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from '../../functions/domain/merkle-tree.js';

const hex = (h: string) => Buffer.from(h, 'hex');
const hexes = (path: readonly Buffer[]) => path.map((p) => p.toString('hex'));

/*
 * Known answers from transparency-dev/merkle (Go), the library behind Trillian and
 * Tessera: rfc6962/rfc6962_test.go (TestRFC6962Hasher) for the hashers, and
 * proof/verify_test.go (`leaves`, `roots`, `inclusionProofs`, `consistencyProofs`) for
 * trees of 1 to 8 leaves. Their inclusion vectors number leaves from 1; ours from 0.
 */
const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const roots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const inclusionVectors: [leaf: number, size: number, path: string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [3, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    2,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
const consistencyVectors: [from: number, to: number, path: string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];
const reference = new MemoryTree(leaves.map(hashLeaf));

describe('the RFC 9162 hashes', () => {
  it('match the reference hashers of transparency-dev/merkle', () => {
    expect(emptyTreeRoot.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashLeaf(Buffer.alloc(0)).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hashLeaf(Buffer.from('L123456')).toString('hex')).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(hashChildren(Buffer.from('N123'), Buffer.from('N456')).toString('hex')).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('give the reference roots of trees of 1 to 8 leaves', () => {
    expect(roots.map((_, i) => rootHash(reference, i + 1).toString('hex'))).toEqual(roots);
    expect(rootHash(reference, 0)).toEqual(emptyTreeRoot);
  });

  it('hash an event leaf as the 32 bytes of its hash, never as its hex text', () => {
    const eventHash = createHash('sha256').update('an event').digest('hex');
    expect(eventLeafHash(eventHash)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.of(0), hex(eventHash)]))
        .digest(),
    );
    expect(() => eventLeafHash(eventHash.toUpperCase())).toThrow(RangeError);
    expect(() => eventLeafHash(eventHash.slice(2))).toThrow(RangeError);
  });

  it('split at the largest power of two smaller than the size', () => {
    expect([2, 3, 4, 5, 8, 9, 1000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 512]);
  });
});

describe('inclusion proofs', () => {
  it.each(inclusionVectors)('for leaf %i of %i are the reference path, and verify', (leaf, size, path) => {
    const proof = inclusionProof(reference, leaf - 1, size);
    expect(hexes(proof)).toEqual(path);
    expect(verifyInclusion(hashLeaf(leaves[leaf - 1]!), leaf - 1, size, proof, hex(roots[size - 1]!))).toBe(true);
  });

  it('fail for a wrong index, size, leaf, root, or a path with a hash added or removed', () => {
    const [leaf, size] = [6, 8];
    const proof = inclusionProof(reference, leaf - 1, size);
    const leafHash = hashLeaf(leaves[leaf - 1]!);
    const root = hex(roots[size - 1]!);
    expect(verifyInclusion(leafHash, leaf - 1, size, proof, root)).toBe(true);
    expect(verifyInclusion(leafHash, leaf - 2, size, proof, root)).toBe(false);
    expect(verifyInclusion(leafHash, leaf, size, proof, root)).toBe(false);
    expect(verifyInclusion(leafHash, leaf - 1, size * 2, proof, root)).toBe(false);
    expect(verifyInclusion(leafHash, leaf - 1, size / 2, proof, root)).toBe(false);
    expect(verifyInclusion(hashLeaf(Buffer.from('WrongLeaf')), leaf - 1, size, proof, root)).toBe(false);
    expect(verifyInclusion(leafHash, leaf - 1, size, proof, emptyTreeRoot)).toBe(false);
    expect(verifyInclusion(leafHash, leaf - 1, size, [...proof, root], root)).toBe(false);
    expect(verifyInclusion(leafHash, leaf - 1, size, [root, ...proof], root)).toBe(false);
    expect(verifyInclusion(leafHash, leaf - 1, size, proof.slice(0, -1), root)).toBe(false);
    expect(verifyInclusion(leafHash, leaf - 1, size, [...proof.slice(0, -1), Buffer.alloc(0)], root)).toBe(false);
  });

  it('refuse to be made for a leaf outside the tree', () => {
    expect(() => inclusionProof(reference, 3, 3)).toThrow(RangeError);
    expect(() => inclusionProof(reference, -1, 3)).toThrow(RangeError);
    expect(() => inclusionProof(reference, 0, 9)).toThrow(RangeError);
  });
});

describe('consistency proofs', () => {
  it.each(consistencyVectors)('from %i to %i are the reference path, and verify', (from, to, path) => {
    const proof = consistencyProof(reference, from, to);
    expect(hexes(proof)).toEqual(path);
    expect(verifyConsistency(from, to, proof, hex(roots[from - 1]!), hex(roots[to - 1]!))).toBe(true);
  });

  it('fail for wrong sizes, swapped or wrong roots, an empty or a padded path', () => {
    const [from, to] = [6, 8];
    const proof = consistencyProof(reference, from, to);
    const [r1, r2] = [hex(roots[from - 1]!), hex(roots[to - 1]!)];
    expect(verifyConsistency(from, to, proof, r1, r2)).toBe(true);
    expect(verifyConsistency(from - 1, to, proof, r1, r2)).toBe(false);
    expect(verifyConsistency(from + 1, to, proof, r1, r2)).toBe(false);
    expect(verifyConsistency(from, to * 2, proof, r1, r2)).toBe(false);
    expect(verifyConsistency(from, to, proof, r2, r1)).toBe(false);
    expect(verifyConsistency(from, to, [], r1, r2)).toBe(false);
    expect(verifyConsistency(from, to, [...proof, r1], r1, r2)).toBe(false);
    expect(verifyConsistency(from, to, [proof[0]!, ...proof], r1, r2)).toBe(false);
    expect(verifyConsistency(from, to, proof.slice(0, -1), r1, r2)).toBe(false);
    expect(verifyConsistency(to, from, proof, r2, r1)).toBe(false);
    expect(verifyConsistency(0, to, [], emptyTreeRoot, r2)).toBe(false);
    expect(verifyConsistency(to, to, [], r2, r2)).toBe(true);
    expect(verifyConsistency(to, to, [], r1, r2)).toBe(false);
    expect(verifyConsistency(to, to, [r2], r2, r2)).toBe(false);
  });

  it('refuse to be made from size 0 or beyond the tree', () => {
    expect(() => consistencyProof(reference, 0, 8)).toThrow(RangeError);
    expect(() => consistencyProof(reference, 5, 4)).toThrow(RangeError);
  });
});

/**
 * Random trees of up to 300 leaves, plus one more leaf so that the next size exists too. A
 * size is bound by the root signed with it: a proof made for size n must fail against the
 * (size, root) of any other size, though it may pass with a wrong size and n's own root.
 */
const leafHashes = fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 2, maxLength: 301 });
const flipOneByte = (path: readonly Buffer[], which: number, bit: number) =>
  path.map((p, i) => {
    if (i !== which % path.length) return p;
    const copy = Buffer.from(p);
    copy[which % 32] = copy[which % 32]! ^ (1 << (bit % 8));
    return copy;
  });
const flipped = (hash: Buffer, which: number, bit: number) => flipOneByte([hash], which, bit)[0]!;

describe('properties of the tree', () => {
  it('every inclusion proof of every leaf verifies, and fails with one flipped byte or another size', () => {
    fc.assert(
      fc.property(leafHashes, fc.nat(), fc.nat(), (raw, which, bit) => {
        const tree = new MemoryTree(raw.map((l) => hashLeaf(l)));
        const n = tree.size - 1;
        const root = rootHash(tree, n);
        const [smaller, larger] = [rootHash(tree, n - 1), rootHash(tree, n + 1)];
        for (let index = 0; index < n; index += 1) {
          const leaf = tree.hash(0, index);
          const proof = inclusionProof(tree, index, n);
          expect(verifyInclusion(leaf, index, n, proof, root)).toBe(true);
          expect(verifyInclusion(leaf, index, n + 1, proof, larger)).toBe(false);
          if (index < n - 1) expect(verifyInclusion(leaf, index, n - 1, proof, smaller)).toBe(false);
          if (proof.length > 0) expect(verifyInclusion(leaf, index, n, flipOneByte(proof, which, bit), root)).toBe(false);
          expect(verifyInclusion(flipped(leaf, which, bit), index, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, index, n, proof, flipped(root, which, bit))).toBe(false);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('every consistency proof from m to n verifies, and fails with one flipped byte or another size', () => {
    fc.assert(
      fc.property(leafHashes, fc.nat(), fc.nat(), (raw, which, bit) => {
        const tree = new MemoryTree(raw.map((l) => hashLeaf(l)));
        const n = tree.size - 1;
        const [second, larger] = [rootHash(tree, n), rootHash(tree, n + 1)];
        for (let m = 1; m <= n; m += 1) {
          const first = rootHash(tree, m);
          const proof = consistencyProof(tree, m, n);
          expect(verifyConsistency(m, n, proof, first, second)).toBe(true);
          expect(verifyConsistency(m, n + 1, proof, first, larger)).toBe(false);
          expect(verifyConsistency(m, n, proof, flipped(first, which, bit), second)).toBe(false);
          expect(verifyConsistency(m, n, proof, first, flipped(second, which, bit))).toBe(false);
          if (m < n) {
            expect(verifyConsistency(m, n, flipOneByte(proof, which, bit), first, second)).toBe(false);
            expect(verifyConsistency(m + 1, n, proof, rootHash(tree, m + 1), second)).toBe(false);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a root grows one leaf at a time like the RFC recursion over all leaves', () => {
    const naive = (ls: Buffer[]): Buffer => {
      if (ls.length === 1) return hashLeaf(ls[0]!);
      const k = splitPoint(ls.length);
      return hashChildren(naive(ls.slice(0, k)), naive(ls.slice(k)));
    };
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 80 }), (raw) => {
        const ls = raw.map((l) => Buffer.from(l));
        const tree = new MemoryTree(ls.map(hashLeaf));
        for (let n = 1; n <= ls.length; n += 1) expect(rootHash(tree, n)).toEqual(naive(ls.slice(0, n)));
      }),
      { numRuns: 50 },
    );
  });
});
