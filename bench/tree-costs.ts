import { checkpointResponse, signCheckpoint, verifyCheckpointResponse } from '../functions/domain/checkpoint.js';
import { buildJwks } from '../functions/domain/jwks.js';
import { MemoryTree } from '../functions/domain/memory-tree.js';
import { consistencyProof, eventLeafHash, inclusionProof, verifyInclusion } from '../functions/domain/merkle-tree.js';
import { foldAfterSnapshot } from '../functions/domain/replay-policy.js';
import type { StoredEvent } from '../functions/domain/submitted-event.js';
import { extendTree, StoredSubtrees, type VersionNodes, versionsFor } from '../functions/domain/tree-nodes.js';
import { freshKeySigner } from '../functions/signing/key-signer.js';
import { toEventItem } from '../functions/store/item-keys.js';
import { toStatusRecord } from '../functions/store/status-codec.js';
import { encodeCheckpoint, eventTreeAttributes, statusTreeAttributes, storedCheckpointOf } from '../functions/store/tree-items.js';
import { nativeItemSize, readUnits, transactionalWriteUnits } from './capacity-rules.js';
import { storedHistory } from './fixtures.js';
import { median } from './stats.js';

/**
 * What the stored tree (issue 12) costs, as the append path and the proof routes store and
 * read it (functions/domain/tree-nodes.ts, functions/store/tree-store.ts): node hashes in
 * the event items, the frontier in the status item, a 136-byte checkpoint in each
 * submission head. By DynamoDB's published rules (capacity-rules.ts) over the items the
 * code builds for a real history (the scenario's events, repeated), at the sizes
 * (100, 10,000 and 100,000 events in the full run), in memory: no table is involved, so the
 * sizes can be the issue's. Every proof made from the stored nodes is checked equal to the
 * proof from all leaves. Times only for an auditor's side: verifying a checkpoint.
 */

export interface ProofCost {
  /** Items the proof route reads: the status GetItem + the versions holding the nodes (max / mean). */
  items: number;
  itemsMean: number;
  /** Read units by item size (strongly consistent), max. */
  rcu: number;
  /** Hashes in the proof (max), and the bytes they are (32 each). */
  hashes: number;
  bytes: number;
  /** The route's JSON answer, max. */
  json: number;
}

export interface TreeCostRow {
  n: number;
  /** ⌈log2 n⌉: the budget's unit for items read and proof sizes. */
  log2n: number;
  proofs: number;
  /** Mean bytes the tree adds per single-event submission: to a non-head event item, to the head item (+ checkpoint), to the status item (frontier). */
  addedBytes: { event: number; head: number; status: number };
  /** Write units the tree adds, single-event submissions (mean / max) and per event in submissions of 25 (mean). */
  addedWcu: { single: number; worst: number; batch25: number };
  inclusion: ProofCost;
  consistency: ProofCost;
  /** Recomputing the root of the first n leaves (what `talks verify` does for an export), median ms. */
  rootFromLeavesMs: number;
}

export interface TreeCostFigures {
  rows: TreeCostRow[];
  /** An auditor's side, in process: a checkpoint's ES256 JWS against the JWKS, median µs. */
  checkpointVerifyUs: number;
  /** The same plus recomputing the root from the status item's frontier (the head's root), median µs. */
  checkpointAndFrontierRootUs: number;
  /** An inclusion proof of the largest size checked against its root, median µs. */
  inclusionVerifyUs: number;
  rounds: number;
}

const talksId = 'bench-tree';
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const max = (values: number[]) => Math.max(...values);
/** Deterministic spread of `count` sample points in [lo, hi]. */
const spread = (lo: number, hi: number, count: number) => {
  const points = new Set([lo, hi, Math.floor((lo + hi) / 2)]);
  for (let i = 0; points.size < Math.min(count, hi - lo + 1); i += 1) points.add(lo + ((i * 2_654_435_761) % (hi - lo + 1)));
  return [...points];
};
const timeMedian = async (rounds: number, work: () => unknown | Promise<unknown>) => {
  // Warm-up first (the first calls compile and build jose's key set): not counted.
  for (let i = 0; i < Math.max(2, Math.floor(rounds / 10)); i += 1) await work();
  const times: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
};

interface Built {
  events: StoredEvent[];
  byVersion: Map<number, VersionNodes>;
  frontiers: Buffer[][];
  completedAt: Buffer[][];
}

/** The tree as the append path builds it, one leaf per version. */
function buildTree(events: StoredEvent[]): Built {
  const byVersion = new Map<number, VersionNodes>();
  let size = 0;
  let frontier: Buffer[] = [];
  const frontiers: Buffer[][] = [];
  const completedAt: Buffer[][] = [];
  for (const event of events) {
    const leaf = eventLeafHash(event.hash);
    const next = extendTree(size, frontier, [leaf]);
    byVersion.set(event.version, [leaf, ...(next.completed[0] ?? [])]);
    completedAt.push(next.completed[0] ?? []);
    ({ size, frontier } = next);
    frontiers.push(frontier);
  }
  return { events, byVersion, frontiers, completedAt };
}

async function measure(n: number, built: Built, cp: Buffer, samples: number, rounds: number): Promise<TreeCostRow> {
  const { events, completedAt, frontiers } = built;
  const status = foldAfterSnapshot(talksId, undefined, events.slice(0, n)) as NonNullable<ReturnType<typeof foldAfterSnapshot>>;
  const statusPlain = toStatusRecord(status, 'bench');
  // The 256 one-event submissions after n (a full cycle of the low bits): what each adds.
  const cycle = Array.from({ length: 256 }, (_, i) => {
    const plain = toEventItem(events[n + i] as StoredEvent);
    const withTree = { ...plain, ...eventTreeAttributes(completedAt[n + i] ?? [], cp) };
    const statusWith = { ...statusPlain, ...statusTreeAttributes(frontiers[n + i] ?? [], 0) };
    const eventBytes = nativeItemSize(withTree) - nativeItemSize(plain);
    const headWcu = transactionalWriteUnits(nativeItemSize(withTree)) - transactionalWriteUnits(nativeItemSize(plain));
    const statusWcu = transactionalWriteUnits(nativeItemSize(statusWith)) - transactionalWriteUnits(nativeItemSize(statusPlain));
    const treeOnly = { ...plain, ...eventTreeAttributes(completedAt[n + i] ?? []) };
    return {
      eventBytes: eventBytes - (cp.length + 2),
      headBytes: eventBytes,
      statusBytes: nativeItemSize(statusWith) - nativeItemSize(statusPlain),
      wcu: headWcu + statusWcu,
      batchEventWcu: transactionalWriteUnits(nativeItemSize(treeOnly)) - transactionalWriteUnits(nativeItemSize(plain)),
      headWcu,
      statusWcu,
    };
  });
  // A submission of 25: 24 events with their nodes, one head with its checkpoint, one status put.
  const batch25 =
    (mean(cycle.map((c) => c.batchEventWcu)) * 24 + mean(cycle.map((c) => c.headWcu)) + mean(cycle.map((c) => c.statusWcu))) / 25;
  const tree = new StoredSubtrees(built.byVersion);
  const itemBytes = (v: number) =>
    nativeItemSize({ ...toEventItem(events[v - 1] as StoredEvent), ...eventTreeAttributes(completedAt[v - 1] ?? [], cp) });
  const proofCost = (versions: number[]) => ({
    // The status GetItem (size and tree base), then the versions holding the nodes.
    items: versions.length + 1,
    rcu: readUnits(nativeItemSize(statusPlain)) + versions.reduce((s, v) => s + readUnits(itemBytes(v)), 0),
  });
  const same = (a: Buffer[], b: Buffer[]) => a.length === b.length && a.every((h, i) => h.equals(b[i] as Buffer));
  // The reference: the tree made from all leaves, independent of how the nodes are stored.
  const all = new MemoryTree(events.slice(0, n).map((e) => eventLeafHash(e.hash)));
  const inclusion = spread(0, n - 1, samples).map((index) => {
    const versions = versionsFor((t) => inclusionProof(t, index, n));
    const path = inclusionProof(tree, index, n);
    if (!same(path, inclusionProof(all, index, n))) throw new Error(`inclusion proof ${index}/${n} differs`);
    return {
      ...proofCost(versions),
      hashes: path.length,
      json: JSON.stringify({ version: index + 1, leafIndex: index, treeSize: n, path: path.map((h) => h.toString('hex')) }).length,
    };
  });
  const consistency = spread(1, n, samples).map((m) => {
    const versions = versionsFor((t) => consistencyProof(t, m, n));
    const path = consistencyProof(tree, m, n);
    if (!same(path, consistencyProof(all, m, n))) throw new Error(`consistency proof ${m}→${n} differs`);
    return {
      ...proofCost(versions),
      hashes: path.length,
      json: JSON.stringify({ from: m, to: n, path: path.map((h) => h.toString('hex')) }).length,
    };
  });
  const summary = (rows: typeof inclusion): ProofCost => ({
    items: max(rows.map((r) => r.items)),
    itemsMean: mean(rows.map((r) => r.items)),
    rcu: max(rows.map((r) => r.rcu)),
    hashes: max(rows.map((r) => r.hashes)),
    bytes: 32 * max(rows.map((r) => r.hashes)),
    json: max(rows.map((r) => r.json)),
  });
  const leaves = events.slice(0, n).map((e) => eventLeafHash(e.hash));
  const rootRounds = Math.max(1, Math.min(rounds, Math.floor(2_000_000 / n)));
  return {
    n,
    log2n: Math.ceil(Math.log2(n)),
    proofs: inclusion.length,
    addedBytes: {
      event: mean(cycle.map((c) => c.eventBytes)),
      head: mean(cycle.map((c) => c.headBytes)),
      status: mean(cycle.map((c) => c.statusBytes)),
    },
    addedWcu: { single: mean(cycle.map((c) => c.wcu)), worst: max(cycle.map((c) => c.wcu)), batch25 },
    inclusion: summary(inclusion),
    consistency: summary(consistency),
    rootFromLeavesMs: await timeMedian(rootRounds, () => extendTree(0, [], leaves).root),
  };
}

/** Tree costs at each size (`samples` proofs of each kind per size) and an auditor's verification times. */
export async function treeCosts(options: { sizes: readonly number[]; samples: number; rounds: number }): Promise<TreeCostFigures> {
  const largest = Math.max(...options.sizes);
  const built = buildTree(storedHistory(talksId, largest + 256));
  const signer = await freshKeySigner();
  const jwks = buildJwks(signer);
  const frontier = built.frontiers[largest - 1] as Buffer[];
  const root = extendTree(largest, frontier, []).root;
  const payload = { talksId, treeSize: largest, rootHash: root.toString('hex'), signedAt: new Date().toISOString() };
  const jws = await signCheckpoint(signer, payload);
  const cp = encodeCheckpoint(storedCheckpointOf(jws, signer.kid, payload.rootHash, payload.signedAt));
  const rows: TreeCostRow[] = [];
  for (const n of options.sizes) rows.push(await measure(n, built, cp, options.samples, options.rounds));

  const response = checkpointResponse(payload, jws);
  const verify = async () => {
    if (!(await verifyCheckpointResponse(response, jwks)).ok) throw new Error('checkpoint does not verify');
  };
  const checkpointVerifyUs = 1000 * (await timeMedian(options.rounds, verify));
  const checkpointAndFrontierRootUs =
    1000 *
    (await timeMedian(options.rounds, async () => {
      await verify();
      if (extendTree(largest, frontier, []).root.toString('hex') !== response.rootHash) throw new Error('root differs');
    }));
  const index = Math.floor(largest * 0.7);
  const path = inclusionProof(new StoredSubtrees(built.byVersion), index, largest);
  const leaf = eventLeafHash((built.events[index] as StoredEvent).hash);
  const inclusionVerifyUs =
    1000 *
    (await timeMedian(options.rounds, () => {
      if (!verifyInclusion(leaf, index, largest, path, root)) throw new Error('proof does not verify');
    }));
  return { rows, checkpointVerifyUs, checkpointAndFrontierRootUs, inclusionVerifyUs, rounds: options.rounds };
}
