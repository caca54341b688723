import { createHash } from 'node:crypto';
import { MemoryTree } from '../functions/domain/memory-tree.js';
import {
  appendToTiles,
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  type Tile,
  type TileId,
  tileKey,
  tilesForConsistency,
  tilesForInclusion,
  tilesToExtend,
} from '../functions/domain/merkle-tiles.js';
import { consistencyProof, hashLeaf, inclusionProof } from '../functions/domain/merkle-tree.js';

/**
 * `npx tsx bench/merkle-costs.ts`: what proofs and appends cost with the tree stored as
 * tiles of 256 hashes, at 100, 10,000 and 100,000 events. Counts and bytes only (no
 * times): tiles read per proof, proof sizes, tiles and bytes an append writes. Every
 * proof made from tiles is checked against the proof made from all leaves. Prints a
 * Markdown section (prints only). A design study: the store keeps its nodes in the event
 * items instead (functions/domain/tree-nodes.ts), and `npm run bench` measures that layout
 * (bench/tree-costs.ts, section "Verifiable log" of bench/RESULTS.md).
 *
 * Write units are computed by DynamoDB's rules (1 per KB, doubled in a transaction) for
 * an item of ~60 bytes of keys plus its hashes; no table is involved.
 */
const sizes = [100, 10_000, 100_000];
const samples = 200;
const itemBytes = (hashes: number) => 60 + 32 * hashes;
const transactWriteUnits = (bytes: number) => 2 * Math.ceil(bytes / 1024);

const leaf = (i: number) => hashLeaf(createHash('sha256').update(`event ${i}`).digest());
/** Deterministic spread of sample points in [lo, hi]. */
const spread = (lo: number, hi: number) => {
  const points = new Set([lo, hi, Math.floor((lo + hi) / 2)]);
  for (let i = 0; points.size < Math.min(samples, hi - lo + 1); i += 1) points.add(lo + ((i * 2_654_435_761) % (hi - lo + 1)));
  return [...points];
};

function buildTiles(n: number): { store: Map<string, Tile>; tree: MemoryTree } {
  const store = new Map<string, Tile>();
  const tree = new MemoryTree();
  while (tree.size < n) {
    const oldSize = tree.size;
    const batch = Array.from({ length: Math.min(25, n - oldSize) }, (_, i) => leaf(oldSize + i));
    const partial = tilesToExtend(oldSize).map((id) => store.get(tileKey(id)) as Tile);
    for (const w of appendToTiles(oldSize, batch, partial).writes) store.set(tileKey(w), w);
    for (const l of batch) tree.append(l);
  }
  return { store, tree };
}

const pick = (store: Map<string, Tile>, ids: TileId[]) => ids.map((id) => store.get(tileKey(id)) as Tile);
const sameProof = (a: Buffer[], b: Buffer[]) => a.length === b.length && a.every((h, i) => h.equals(b[i] as Buffer));
const stats = (values: number[]) => ({ max: Math.max(...values), mean: values.reduce((s, v) => s + v, 0) / values.length });
const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

interface Row {
  n: number;
  inclusion: { tiles: { max: number; mean: number }; hashes: number; bytes: number; jsonBytes: number; tileBytesRead: number };
  consistency: { tiles: { max: number; mean: number }; hashes: number; bytes: number; jsonBytes: number };
  append: { tilesRead: number; tilesWritten: number; rewriteBytes: number; rewriteWcu: number; leafItemsWcu: number };
}

function measure(n: number): Row {
  const { store, tree } = buildTiles(n);
  const inclusion = spread(0, n - 1).map((index) => {
    const ids = tilesForInclusion(index, n);
    const tiles = pick(store, ids);
    const path = inclusionProofFromTiles(tiles, index, n);
    if (!sameProof(path, inclusionProof(tree, index, n))) throw new Error(`inclusion proof ${index}/${n} differs`);
    const response = { version: index + 1, leafIndex: index, treeSize: n, path: path.map((h) => h.toString('hex')) };
    return {
      tiles: ids.length,
      hashes: path.length,
      json: jsonBytes(response),
      read: tiles.reduce((s, t) => s + itemBytes(t.hashes.length), 0),
    };
  });
  const consistency = spread(1, n).map((m) => {
    const ids = tilesForConsistency(m, n);
    const path = consistencyProofFromTiles(pick(store, ids), m, n);
    if (!sameProof(path, consistencyProof(tree, m, n))) throw new Error(`consistency proof ${m}→${n} differs`);
    return { tiles: ids.length, hashes: path.length, json: jsonBytes({ from: m, to: n, path: path.map((h) => h.toString('hex')) }) };
  });
  // One full cycle of the level-0 tile, one event a submission: what appends cost on average.
  const cycle = Array.from({ length: 256 }, (_, i) => {
    const oldSize = n + i;
    const partial = tilesToExtend(oldSize).map((id) => store.get(tileKey(id)) as Tile);
    const { writes } = appendToTiles(oldSize, [leaf(oldSize)], partial);
    for (const w of writes) store.set(tileKey(w), w);
    const rewriteBytes = writes.reduce((s, w) => s + itemBytes(w.hashes.length), 0);
    // Alternative: each new leaf hash as its own small item; a tile is stored whole only once
    // complete (level 0) or when it changes (levels above, once per 256 events).
    const leafItems = writes.reduce(
      (s, w) =>
        s + (w.level === 0 && w.hashes.length < 256 ? transactWriteUnits(itemBytes(1)) : transactWriteUnits(itemBytes(w.hashes.length))),
      0,
    );
    return {
      read: partial.length,
      written: writes.length,
      rewriteBytes,
      rewriteWcu: writes.reduce((s, w) => s + transactWriteUnits(itemBytes(w.hashes.length)), 0),
      leafItems,
    };
  });
  const mean = (f: (c: (typeof cycle)[number]) => number) => cycle.reduce((s, c) => s + f(c), 0) / cycle.length;
  return {
    n,
    inclusion: {
      tiles: stats(inclusion.map((p) => p.tiles)),
      hashes: stats(inclusion.map((p) => p.hashes)).max,
      bytes: 32 * stats(inclusion.map((p) => p.hashes)).max,
      jsonBytes: stats(inclusion.map((p) => p.json)).max,
      tileBytesRead: stats(inclusion.map((p) => p.read)).max,
    },
    consistency: {
      tiles: stats(consistency.map((p) => p.tiles)),
      hashes: stats(consistency.map((p) => p.hashes)).max,
      bytes: 32 * stats(consistency.map((p) => p.hashes)).max,
      jsonBytes: stats(consistency.map((p) => p.json)).max,
    },
    append: {
      tilesRead: mean((c) => c.read),
      tilesWritten: mean((c) => c.written),
      rewriteBytes: mean((c) => c.rewriteBytes),
      rewriteWcu: mean((c) => c.rewriteWcu),
      leafItemsWcu: mean((c) => c.leafItems),
    },
  };
}

const rows = sizes.map(measure);
const f1 = (x: number) => x.toFixed(1);
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const markdown = [
  `## Merkle proofs and tiles (${new Date().toISOString().slice(0, 10)}, \`npx tsx bench/merkle-costs.ts\`)`,
  '',
  `Tiles of 256 hashes (tlog-tiles layout, height 8); ${samples} inclusion and ${samples} consistency proofs per size, spread over`,
  'the log, each made from the tiles it names and checked equal to the proof made from all leaves. Counts and bytes, no times.',
  '',
  line(['events', 'inclusion: tiles read (max / mean)', 'hashes (max)', 'bytes (max)', 'JSON answer (max)', 'tile bytes read (max)']),
  line(['---', '---', '---', '---', '---', '---']),
  ...rows.map((r) =>
    line([
      r.n.toLocaleString('en-US'),
      `${r.inclusion.tiles.max} / ${f1(r.inclusion.tiles.mean)}`,
      r.inclusion.hashes,
      r.inclusion.bytes,
      r.inclusion.jsonBytes,
      r.inclusion.tileBytesRead.toLocaleString('en-US'),
    ]),
  ),
  '',
  line(['events', 'consistency: tiles read (max / mean)', 'hashes (max)', 'bytes (max)', 'JSON answer (max)']),
  line(['---', '---', '---', '---', '---']),
  ...rows.map((r) =>
    line([
      r.n.toLocaleString('en-US'),
      `${r.consistency.tiles.max} / ${f1(r.consistency.tiles.mean)}`,
      r.consistency.hashes,
      r.consistency.bytes,
      r.consistency.jsonBytes,
    ]),
  ),
  '',
  'Appends of one event each, averaged over the 256 appends after the size (one cycle of the level-0 tile). Write units computed for two',
  'ways of storing the same tiles: rewriting each partial tile item, or one small item per new leaf hash with tiles stored whole once complete.',
  '',
  line([
    'events',
    'tiles read',
    'tiles written',
    'bytes written (rewrite)',
    'WCU in a transaction (rewrite)',
    'WCU (leaf items + complete tiles)',
  ]),
  line(['---', '---', '---', '---', '---', '---']),
  ...rows.map((r) =>
    line([
      r.n.toLocaleString('en-US'),
      f1(r.append.tilesRead),
      f1(r.append.tilesWritten),
      Math.round(r.append.rewriteBytes).toLocaleString('en-US'),
      f1(r.append.rewriteWcu),
      f1(r.append.leafItemsWcu),
    ]),
  ),
  '',
].join('\n');

process.stdout.write(`${markdown}\n`);
