import { type CompleteSubtrees, consistencyProof, hashChildren, hashSize, inclusionProof, rootHash } from './merkle-tree.js';

/**
 * The stored form of a talks' Merkle tree: tiles of 256 hashes, as transparency logs
 * keep theirs (the tlog-tiles layout of Go's golang.org/x/mod/sumdb/tlog, height 8).
 *
 * Tile (level L, index N) holds the hashes of the complete subtrees at tree level 8·L
 * numbered N·256 to N·256+255 (level 0: the leaf hashes). The seven tree levels above
 * them are not stored: they are folded from the tile when read. A tile is partial while
 * the tree has fewer than 256 hashes in it, and only grows: a proof for an earlier size
 * reads today's tile and uses its first hashes. So a proof or a root reads a few tiles
 * per 8 levels, O(log n) items whatever the size, and an append extends at most one
 * tile per level.
 */

export const tileHeight = 8;
export const tileWidth = 2 ** tileHeight;

export interface TileId {
  level: number;
  index: number;
}

export interface Tile extends TileId {
  /** The tile's hashes at tree level 8·level, in order: 1 to 256 of them. */
  hashes: readonly Buffer[];
}

export const tileKey = ({ level, index }: TileId): string => `${level}/${index}`;

/** How many complete subtrees of `level` a tree of size n has. */
const completeAt = (n: number, treeLevel: number) => Math.floor(n / 2 ** treeLevel);

/** How many hashes tile (L, N) holds in a tree of size n (0 when it does not exist yet). */
export function tileWidthAt(id: TileId, n: number): number {
  return Math.max(0, Math.min(tileWidth, completeAt(n, id.level * tileHeight) - id.index * tileWidth));
}

/** Where a complete subtree's hash is kept: which tile, and which of its hashes fold into it. */
export function locateSubtree(treeLevel: number, index: number): { tile: TileId; offset: number; count: number } {
  const level = Math.floor(treeLevel / tileHeight);
  const count = 2 ** (treeLevel - level * tileHeight);
  const first = index * count;
  return { tile: { level, index: Math.floor(first / tileWidth) }, offset: first % tileWidth, count };
}

/** The root of 2^k consecutive hashes of one level: the subtree they are the bottom of. */
function foldComplete(hashes: readonly Buffer[]): Buffer {
  let row = hashes;
  while (row.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < row.length; i += 2) next.push(hashChildren(row[i] as Buffer, row[i + 1] as Buffer));
    row = next;
  }
  const [root] = row;
  if (root === undefined) throw new RangeError('nothing to fold');
  return root;
}

/** Complete subtrees read from tiles (fetched beforehand: see tilesFor*). */
export class TileSubtrees implements CompleteSubtrees {
  constructor(private readonly tiles: ReadonlyMap<string, readonly Buffer[]>) {}

  hash(treeLevel: number, index: number): Buffer {
    const { tile, offset, count } = locateSubtree(treeLevel, index);
    const key = tileKey(tile);
    const hashes = this.tiles.get(key);
    if (hashes === undefined || hashes.length < offset + count)
      throw new RangeError(`tile ${key} (${hashes?.length ?? 0} hashes) does not hold the subtree (${treeLevel}, ${index})`);
    return foldComplete(hashes.slice(offset, offset + count));
  }
}

/** Which tiles a computation over complete subtrees touches: the same for any leaves. */
function tilesTouched(compute: (tree: CompleteSubtrees) => unknown): TileId[] {
  const seen = new Map<string, TileId>();
  compute({
    hash(treeLevel, index) {
      const { tile } = locateSubtree(treeLevel, index);
      seen.set(tileKey(tile), tile);
      return Buffer.alloc(hashSize);
    },
  });
  return [...seen.values()].sort((a, b) => a.level - b.level || a.index - b.index);
}

export const tilesForRoot = (n: number): TileId[] => tilesTouched((t) => rootHash(t, n));
/** The tiles an inclusion proof of the leaf at 0-based `index` in a tree of size n reads. */
export const tilesForInclusion = (index: number, n: number): TileId[] => tilesTouched((t) => inclusionProof(t, index, n));
export const tilesForConsistency = (m: number, n: number): TileId[] => tilesTouched((t) => consistencyProof(t, m, n));

const asMap = (tiles: readonly Tile[]) => new Map(tiles.map((t) => [tileKey(t), t.hashes]));

export const rootFromTiles = (tiles: readonly Tile[], n: number): Buffer => rootHash(new TileSubtrees(asMap(tiles)), n);
export const inclusionProofFromTiles = (tiles: readonly Tile[], index: number, n: number): Buffer[] =>
  inclusionProof(new TileSubtrees(asMap(tiles)), index, n);
export const consistencyProofFromTiles = (tiles: readonly Tile[], m: number, n: number): Buffer[] =>
  consistencyProof(new TileSubtrees(asMap(tiles)), m, n);

/**
 * The tiles an append to a tree of `oldSize` leaves must read first: the partial tile of
 * each level, whose hashes fold into the level above once the new leaves fill it.
 */
export function tilesToExtend(oldSize: number): TileId[] {
  const partial: TileId[] = [];
  for (let level = 0; completeAt(oldSize, level * tileHeight) > 0; level += 1) {
    const count = completeAt(oldSize, level * tileHeight);
    if (count % tileWidth !== 0) partial.push({ level, index: Math.floor(count / tileWidth) });
  }
  return partial;
}

export interface TileWrite extends Tile {
  /** How many hashes the tile held before: hashes from here on are new. */
  previousWidth: number;
}

/**
 * What appending leaves to a tree of `oldSize` leaves stores: every tile that gains
 * hashes, with its whole new content, and the new root. `partial` holds the tiles
 * `tilesToExtend(oldSize)` named, as read from the store.
 */
export function appendToTiles(
  oldSize: number,
  leafHashes: readonly Buffer[],
  partial: readonly Tile[],
): { writes: TileWrite[]; root: Buffer } {
  if (leafHashes.some((h) => h.length !== hashSize)) throw new RangeError('a leaf hash is 32 bytes');
  const known = asMap(partial);
  const newSize = oldSize + leafHashes.length;
  const writes: TileWrite[] = [];
  let added: readonly Buffer[] = leafHashes;
  for (let level = 0; added.length > 0; level += 1) {
    const before = completeAt(oldSize, level * tileHeight);
    const folded: Buffer[] = [];
    for (let index = Math.floor(before / tileWidth); index * tileWidth < before + added.length; index += 1) {
      const previousWidth = tileWidthAt({ level, index }, oldSize);
      const old = previousWidth === 0 ? [] : known.get(tileKey({ level, index }));
      if (old === undefined || old.length < previousWidth) throw new RangeError(`the append needs tile ${level}/${index}, read before it`);
      const from = index * tileWidth + previousWidth - before;
      const hashes = [...old.slice(0, previousWidth), ...added.slice(from, from + tileWidth - previousWidth)];
      writes.push({ level, index, previousWidth, hashes });
      if (hashes.length === tileWidth) folded.push(foldComplete(hashes));
    }
    added = folded;
  }
  const after = new Map(known);
  for (const w of writes) after.set(tileKey(w), w.hashes);
  return { writes, root: rootHash(new TileSubtrees(after), newSize) };
}
