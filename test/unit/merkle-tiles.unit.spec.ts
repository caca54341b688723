import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTree } from '../../functions/domain/memory-tree.js';
import {
  appendToTiles,
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  locateSubtree,
  rootFromTiles,
  type Tile,
  type TileId,
  tileKey,
  tilesForConsistency,
  tilesForInclusion,
  tilesForRoot,
  tilesToExtend,
  tileWidthAt,
} from '../../functions/domain/merkle-tiles.js';
import { consistencyProof, hashLeaf, inclusionProof, rootHash } from '../../functions/domain/merkle-tree.js';

const leaf = (i: number) => hashLeaf(createHash('sha256').update(`event ${i}`).digest());
const hexes = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('hex')).join(',');
const treeOf = (n: number) => new MemoryTree(Array.from({ length: n }, (_, i) => leaf(i)));

/** The tiles of a tree, cut straight from all its complete subtrees (not by appending). */
function tilesOf(tree: MemoryTree): Tile[] {
  const tiles: Tile[] = [];
  for (let level = 0; Math.floor(tree.size / 256 ** level) > 0; level += 1) {
    const count = Math.floor(tree.size / 256 ** level);
    for (let index = 0; index * 256 < count; index += 1) {
      const width = Math.min(256, count - index * 256);
      tiles.push({ level, index, hashes: Array.from({ length: width }, (_, i) => tree.hash(level * 8, index * 256 + i)) });
    }
  }
  return tiles;
}

/** A store of tiles that only hands out the tiles asked for. */
const pick = (tiles: readonly Tile[], ids: readonly TileId[]) => {
  const byKey = new Map(tiles.map((t) => [tileKey(t), t]));
  return ids.map((id) => byKey.get(tileKey(id))).filter((t): t is Tile => t !== undefined);
};

const big = treeOf(70_000);
const bigTiles = tilesOf(big);

describe('the tile layout', () => {
  it('puts a complete subtree in the tile of its bottom hashes, eight tree levels to a tile', () => {
    expect(locateSubtree(0, 300)).toEqual({ tile: { level: 0, index: 1 }, offset: 44, count: 1 });
    expect(locateSubtree(3, 40)).toEqual({ tile: { level: 0, index: 1 }, offset: 64, count: 8 });
    expect(locateSubtree(8, 5)).toEqual({ tile: { level: 1, index: 0 }, offset: 5, count: 1 });
    expect(locateSubtree(16, 0)).toEqual({ tile: { level: 2, index: 0 }, offset: 0, count: 1 });
  });

  it('counts partial tiles: 70,000 leaves make 274 level-0 tiles, 2 at level 1, 1 at level 2', () => {
    expect(bigTiles.filter((t) => t.level === 0)).toHaveLength(274);
    expect(tileWidthAt({ level: 0, index: 273 }, 70_000)).toBe(70_000 - 273 * 256);
    expect(tileWidthAt({ level: 1, index: 1 }, 70_000)).toBe(Math.floor(70_000 / 256) - 256);
    expect(tileWidthAt({ level: 2, index: 0 }, 70_000)).toBe(1);
    expect(tileWidthAt({ level: 0, index: 274 }, 70_000)).toBe(0);
  });
});

describe('proofs served from tiles', () => {
  const sizes = fc.integer({ min: 1, max: big.size });

  it('equal the proofs and roots computed from all leaves, reading only the tiles named', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (n, i) => {
        const index = i % n;
        const tiles = pick(bigTiles, tilesForInclusion(index, n));
        expect(hexes(inclusionProofFromTiles(tiles, index, n))).toBe(hexes(inclusionProof(big, index, n)));
        expect(rootFromTiles(pick(bigTiles, tilesForRoot(n)), n).equals(rootHash(big, n))).toBe(true);
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(sizes, sizes, (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        expect(hexes(consistencyProofFromTiles(pick(bigTiles, tilesForConsistency(m, n)), m, n))).toBe(hexes(consistencyProof(big, m, n)));
      }),
      { numRuns: 150 },
    );
  });

  it('read a number of tiles that grows with log n, not n', () => {
    const most = (n: number) =>
      Math.max(...[0, 1, n >> 1, n - 2, n - 1].filter((i) => i >= 0).map((i) => tilesForInclusion(i, n).length + tilesForRoot(n).length));
    const counts = [100, 10_000, 100_000, 10_000_000].map(most);
    // One tile a level on the leaf's side plus the partial edge of each level.
    expect(counts).toEqual(counts.slice().sort((x, y) => x - y));
    for (const [i, n] of [100, 10_000, 100_000, 10_000_000].entries())
      expect(counts[i]).toBeLessThanOrEqual(4 * Math.ceil(Math.log(n) / Math.log(256)));
  });

  it('fail loudly when a needed tile was not read', () => {
    expect(() => inclusionProofFromTiles([], 5, 300)).toThrow(/tile 0\/0/);
  });
});

describe('appending to tiles', () => {
  it('stores exactly the tiles cut from all leaves, whatever the batches, with the right root each time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 }), (batches) => {
        const store = new Map<string, Tile>();
        const tree = new MemoryTree();
        for (const batch of batches) {
          const oldSize = tree.size;
          const leaves = Array.from({ length: batch }, (_, i) => leaf(oldSize + i));
          const partial = tilesToExtend(oldSize).map((id) => store.get(tileKey(id)) as Tile);
          expect(partial.every((t) => t !== undefined && t.hashes.length < 256)).toBe(true);
          const { writes, root } = appendToTiles(oldSize, leaves, partial);
          for (const w of writes) {
            expect(hexes(w.hashes.slice(0, w.previousWidth))).toBe(hexes(store.get(tileKey(w))?.hashes ?? []));
            store.set(tileKey(w), { level: w.level, index: w.index, hashes: w.hashes });
          }
          for (const l of leaves) tree.append(l);
          expect(root.equals(rootHash(tree, tree.size))).toBe(true);
        }
        const byKey = (tiles: Iterable<Tile>) => [...tiles].map((t) => `${tileKey(t)}:${hexes(t.hashes)}`).sort();
        expect(byKey(store.values())).toEqual(byKey(tilesOf(tree)));
      }),
      { numRuns: 25 },
    );
  });

  it('writes one tile per level it reaches: a single event writes one tile, or two when it fills one', () => {
    const tree = treeOf(255);
    const tiles = tilesOf(tree);
    const one = appendToTiles(254, [tree.hash(0, 254)], pick(tilesOf(treeOf(254)), tilesToExtend(254)));
    expect(one.writes.map(tileKey)).toEqual(['0/0']);
    const filling = appendToTiles(255, [leaf(255)], pick(tiles, tilesToExtend(255)));
    expect(filling.writes.map((w) => [tileKey(w), w.previousWidth, w.hashes.length])).toEqual([
      ['0/0', 255, 256],
      ['1/0', 0, 1],
    ]);
  });

  it('refuses to append without the partial tiles it must extend', () => {
    expect(tilesToExtend(300)).toEqual([
      { level: 0, index: 1 },
      { level: 1, index: 0 },
    ]);
    expect(() => appendToTiles(300, [leaf(300)], [])).toThrow(/tile 0\/1/);
  });
});
