import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 section 2.1 (Certificate Transparency v2), SHA-256, so that
 * any CT-style verifier checks our roots and proofs without our code.
 *
 * Proofs are generated over `CompleteSubtrees`: the hashes of complete, aligned subtrees
 * (level h, index i covers leaves [i·2^h, (i+1)·2^h)). Those hashes never change once the
 * subtree is full, which is what lets them be stored (see merkle-tiles.ts); every other
 * node of a tree of size n is computed from them.
 */

export const hashSize = 32;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const leafPrefix = Buffer.of(0x00);
const nodePrefix = Buffer.of(0x01);

/** MTH({d}) = SHA-256(0x00 || d): the prefix keeps a leaf from passing for a node. */
export const hashLeaf = (leaf: Uint8Array): Buffer => sha256(leafPrefix, leaf);

/** SHA-256(0x01 || left || right). */
export const hashChildren = (left: Uint8Array, right: Uint8Array): Buffer => sha256(nodePrefix, left, right);

/** MTH({}) = SHA-256 of the empty string. */
export const emptyTreeRoot: Buffer = sha256();

/** The leaf hash of a talks event: its leaf is the 32 bytes of the stored event's `hash`. */
export function eventLeafHash(eventHashHex: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(eventHashHex)) throw new RangeError('an event hash is 64 lowercase hex digits');
  return hashLeaf(Buffer.from(eventHashHex, 'hex'));
}

export interface CompleteSubtrees {
  /** The hash of the complete subtree at `level` covering leaves [index·2^level, (index+1)·2^level). */
  hash(level: number, index: number): Buffer;
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree. */
export function splitPoint(n: number): number {
  if (n < 2) throw new RangeError('only a tree of two or more leaves splits');
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const log2 = (powerOfTwo: number) => 31 - Math.clz32(powerOfTwo);

/** MTH(D[start:end]): a complete subtree is read; anything else is split as RFC 9162 does. */
export function rangeHash(tree: CompleteSubtrees, start: number, end: number): Buffer {
  const size = end - start;
  if (isPowerOfTwo(size)) {
    if (start % size !== 0) throw new RangeError(`the range [${start}, ${end}) is not an aligned subtree`);
    return tree.hash(log2(size), start / size);
  }
  const k = splitPoint(size);
  return hashChildren(rangeHash(tree, start, start + k), rangeHash(tree, start + k, end));
}

function checkSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 31) throw new RangeError(`${name} must be a whole number from 0 to 2^31`);
}

/** The root hash of the tree of the first n leaves. */
export function rootHash(tree: CompleteSubtrees, n: number): Buffer {
  checkSize('tree size', n);
  return n === 0 ? emptyTreeRoot : rangeHash(tree, 0, n);
}

/** PATH(m, D[n]) of RFC 9162 section 2.1.3.1, for the leaf at 0-based `index`. */
export function inclusionProof(tree: CompleteSubtrees, index: number, n: number): Buffer[] {
  checkSize('tree size', n);
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new RangeError(`leaf index ${index} is not in a tree of size ${n}`);
  const path = (m: number, start: number, end: number): Buffer[] => {
    if (end - start === 1) return [];
    const k = splitPoint(end - start);
    return m < k
      ? [...path(m, start, start + k), rangeHash(tree, start + k, end)]
      : [...path(m - k, start + k, end), rangeHash(tree, start, start + k)];
  };
  return path(index, 0, n);
}

/** PROOF(m, D[n]) of RFC 9162 section 2.1.4.1, for 1 ≤ m ≤ n (empty when m = n). */
export function consistencyProof(tree: CompleteSubtrees, m: number, n: number): Buffer[] {
  checkSize('tree size', n);
  if (!Number.isSafeInteger(m) || m < 1 || m > n) throw new RangeError(`a consistency proof goes from a size of 1 to ${n}, not ${m}`);
  const subproof = (size: number, start: number, end: number, whole: boolean): Buffer[] => {
    if (size === end - start) return whole ? [] : [rangeHash(tree, start, end)];
    const k = splitPoint(end - start);
    return size <= k
      ? [...subproof(size, start, start + k, whole), rangeHash(tree, start + k, end)]
      : [...subproof(size - k, start + k, end, false), rangeHash(tree, start, start + k)];
  };
  return subproof(m, 0, n, true);
}

const sameHash = (a: Uint8Array, b: Uint8Array) => a.length === hashSize && b.length === hashSize && Buffer.compare(a, b) === 0;
const allHashes = (path: readonly Uint8Array[]) => path.every((p) => p.length === hashSize);
const validSize = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** RFC 9162 section 2.1.3.2, step by step: true only when the path leads from the leaf to the root. */
export function verifyInclusion(leafHash: Uint8Array, index: number, n: number, path: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!validSize(n) || !Number.isSafeInteger(index) || index < 0 || index >= n || !allHashes(path) || leafHash.length !== hashSize)
    return false;
  // fn and sn exceed 32 bits for large trees: plain numbers, halved, never bitwise-shifted.
  let fn = index;
  let sn = n - 1;
  let r: Uint8Array = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(r, root);
}

/**
 * RFC 9162 section 2.1.4.2, step by step, for 0 < m < n; for m = n the proof is empty and
 * the roots are equal. True only when the tree of size n extends the tree of size m.
 */
export function verifyConsistency(
  m: number,
  n: number,
  path: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean {
  if (!validSize(m) || !validSize(n) || m < 1 || m > n || !allHashes(path)) return false;
  if (m === n) return path.length === 0 && sameHash(firstRoot, secondRoot);
  if (path.length === 0) return false;
  const proof = isPowerOfTwo(m) ? [firstRoot, ...path] : [...path];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const [first, ...rest] = proof;
  if (first === undefined) return false;
  let fr: Uint8Array = first;
  let sr: Uint8Array = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sameHash(fr, firstRoot) && sameHash(sr, secondRoot) && sn === 0;
}
