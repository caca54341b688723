import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkpointResponse, signCheckpoint, verifyCheckpointResponse } from '../functions/domain/checkpoint.js';
import { buildJwks } from '../functions/domain/jwks.js';
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

/**
 * `npx tsx bench/tree-costs.ts`: what the stored tree (issue 12) costs, as the append path
 * and the proof routes store and read it: node hashes in the event items, the frontier in
 * the status item, a 136-byte checkpoint in each submission head. By DynamoDB's published
 * rules (capacity-rules.ts) over the items the code builds for a real history (the
 * scenario's events, repeated), at 100, 10,000 and 100,000 events; every proof made from
 * the stored nodes is checked equal to the proof from all leaves. Times only for the
 * checkpoint and proof verifications (an auditor's side). `--print` only prints.
 */
const sizes = [100, 10_000, 100_000];
const talksId = 'bench-tree';

const signer = await freshKeySigner();
const jwks = buildJwks(signer);
const sampleCheckpoint = async (treeSize: number, root: Buffer) => {
  const payload = { talksId, treeSize, rootHash: root.toString('hex'), signedAt: new Date().toISOString() };
  const jws = await signCheckpoint(signer, payload);
  return {
    response: checkpointResponse(payload, jws),
    stored: encodeCheckpoint(storedCheckpointOf(jws, signer.kid, payload.rootHash, payload.signedAt)),
  };
};

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const max = (values: number[]) => Math.max(...values);
const spread = (lo: number, hi: number, count = 200) => {
  const points = new Set([lo, hi, Math.floor((lo + hi) / 2)]);
  for (let i = 0; points.size < Math.min(count, hi - lo + 1); i += 1) points.add(lo + ((i * 2_654_435_761) % (hi - lo + 1)));
  return [...points];
};

interface Row {
  n: number;
  addedBytes: { event: number; head: number; status: number };
  addedWcu: { single: number; worst: number; batch25: number };
  inclusion: { items: number; itemsMean: number; rcu: number; hashes: number; json: number };
  consistency: { items: number; itemsMean: number; rcu: number; hashes: number; json: number };
}

async function measure(n: number, history: readonly StoredEvent[]): Promise<Row> {
  const events = history.slice(0, n + 256);
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
  const status = foldAfterSnapshot(talksId, undefined, events.slice(0, n)) as NonNullable<ReturnType<typeof foldAfterSnapshot>>;
  const statusPlain = toStatusRecord(status, 'bench');
  const { stored: cp } = await sampleCheckpoint(n, Buffer.alloc(32));
  // The 256 one-event submissions after n (a full cycle of the low bits): what each adds.
  const cycle = Array.from({ length: 256 }, (_, i) => {
    const event = events[n + i] as StoredEvent;
    const plain = toEventItem(event);
    const withTree = { ...plain, ...eventTreeAttributes(completedAt[n + i] ?? [], cp) };
    const statusWith = { ...statusPlain, ...statusTreeAttributes(frontiers[n + i] ?? [], 0) };
    const eventBytes = nativeItemSize(withTree) - nativeItemSize(plain);
    const statusBytes = nativeItemSize(statusWith) - nativeItemSize(statusPlain);
    const wcu =
      transactionalWriteUnits(nativeItemSize(withTree)) -
      transactionalWriteUnits(nativeItemSize(plain)) +
      transactionalWriteUnits(nativeItemSize(statusWith)) -
      transactionalWriteUnits(nativeItemSize(statusPlain));
    const treeOnly = { ...plain, ...eventTreeAttributes(completedAt[n + i] ?? []) };
    const batchEventWcu = transactionalWriteUnits(nativeItemSize(treeOnly)) - transactionalWriteUnits(nativeItemSize(plain));
    const headWcu = transactionalWriteUnits(nativeItemSize(withTree)) - transactionalWriteUnits(nativeItemSize(plain));
    return {
      eventBytes: eventBytes - (cp.length + 2),
      headBytes: eventBytes,
      statusBytes,
      wcu,
      batchEventWcu,
      headWcu,
      statusWcu: wcu - headWcu,
    };
  });
  // A submission of 25: 24 events with their nodes, one head with its checkpoint, one status put.
  const batch25 =
    (mean(cycle.map((c) => c.batchEventWcu)) * 24 + mean(cycle.map((c) => c.headWcu)) + mean(cycle.map((c) => c.statusWcu))) / 25;
  const tree = new StoredSubtrees(byVersion);
  const itemBytes = (v: number) =>
    nativeItemSize({ ...toEventItem(events[v - 1] as StoredEvent), ...eventTreeAttributes(completedAt[v - 1] ?? [], cp) });
  const proofCost = (versions: number[]) => ({
    items: versions.length + 1,
    rcu: readUnits(0) + versions.reduce((s, v) => s + readUnits(itemBytes(v)), 0),
  });
  const inclusion = spread(0, n - 1).map((index) => {
    const versions = versionsFor((t) => inclusionProof(t, index, n));
    const path = inclusionProof(tree, index, n);
    return {
      ...proofCost(versions),
      hashes: path.length,
      json: JSON.stringify({ version: index + 1, leafIndex: index, treeSize: n, path: path.map((h) => h.toString('hex')) }).length,
    };
  });
  const consistency = spread(1, n).map((m) => {
    const versions = versionsFor((t) => consistencyProof(t, m, n));
    const path = consistencyProof(tree, m, n);
    return {
      ...proofCost(versions),
      hashes: path.length,
      json: JSON.stringify({ from: m, to: n, path: path.map((h) => h.toString('hex')) }).length,
    };
  });
  const summary = (rows: typeof inclusion) => ({
    items: max(rows.map((r) => r.items)),
    itemsMean: mean(rows.map((r) => r.items)),
    rcu: max(rows.map((r) => r.rcu)),
    hashes: max(rows.map((r) => r.hashes)),
    json: max(rows.map((r) => r.json)),
  });
  return {
    n,
    addedBytes: {
      event: mean(cycle.map((c) => c.eventBytes)),
      head: mean(cycle.map((c) => c.headBytes)),
      status: mean(cycle.map((c) => c.statusBytes)),
    },
    addedWcu: { single: mean(cycle.map((c) => c.wcu)), worst: max(cycle.map((c) => c.wcu)), batch25 },
    inclusion: summary(inclusion),
    consistency: summary(consistency),
  };
}

/** An auditor's side: verifying a checkpoint (ES256 over the JWS) and an inclusion proof. */
async function verificationTimes(history: readonly StoredEvent[]) {
  const n = 100_000;
  const { response } = await sampleCheckpoint(n, Buffer.alloc(32, 1));
  const rounds = 500;
  let started = performance.now();
  for (let i = 0; i < rounds; i += 1)
    if (!(await verifyCheckpointResponse(response, jwks)).ok) throw new Error('checkpoint does not verify');
  const checkpointMs = (performance.now() - started) / rounds;
  const leaves = history.slice(0, 1024).map((e) => eventLeafHash(e.hash));
  const byVersion = new Map<number, VersionNodes>();
  let size = 0;
  let frontier: Buffer[] = [];
  for (const leaf of leaves) {
    const next = extendTree(size, frontier, [leaf]);
    byVersion.set(size + 1, [leaf, ...(next.completed[0] ?? [])]);
    ({ size, frontier } = next);
  }
  const root = extendTree(size, frontier, []).root;
  const path = inclusionProof(new StoredSubtrees(byVersion), 700, 1024);
  started = performance.now();
  for (let i = 0; i < rounds; i += 1)
    if (!verifyInclusion(leaves[700] as Buffer, 700, 1024, path, root)) throw new Error('proof does not verify');
  return { checkpointMs, inclusionMs: (performance.now() - started) / rounds };
}

const history = storedHistory(talksId, Math.max(...sizes) + 256);
const rows: Row[] = [];
for (const n of sizes) rows.push(await measure(n, history));
const times = await verificationTimes(history);
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const markdown = [
  `## Stored Merkle tree: append cost and proofs (${new Date().toISOString().slice(0, 10)}, \`npx tsx bench/tree-costs.ts\`)`,
  '',
  'As the append path stores it: each event item carries the node hashes its leaf completes (one on average), the status item the',
  "frontier (one hash per set bit of the size), each submission head its checkpoint (136 bytes). Sizes by DynamoDB's rules for the",
  "scenario's events; write units doubled in the transaction; averaged over the 256 submissions after the size. An item pays",
  'more only when the bytes push it over a 1 KB boundary (then 2 units): the mean is what a long run pays, the max what one append can.',
  '',
  line([
    'events',
    'bytes added: event item',
    'head item (+ checkpoint)',
    'status item (frontier)',
    'WCU added per append of 1 event (mean / max)',
    'per event, 25 a submission (mean)',
  ]),
  line(['---', '---', '---', '---', '---', '---']),
  ...rows.map((r) =>
    line([
      r.n.toLocaleString('en-US'),
      f1(r.addedBytes.event),
      f1(r.addedBytes.head),
      f1(r.addedBytes.status),
      `${f2(r.addedWcu.single)} / ${r.addedWcu.worst}`,
      f2(r.addedWcu.batch25),
    ]),
  ),
  '',
  'Proofs from the stored nodes: items read = the status GetItem + one BatchGetItem of the versions holding the nodes (strongly',
  'consistent; read units by item size). 200 proofs per size spread over the log, each checked equal to the proof from all leaves.',
  '',
  line([
    'events',
    'inclusion: items read (max / mean)',
    'RCU (max)',
    'hashes (max)',
    'JSON bytes (max)',
    'consistency: items read (max / mean)',
    'RCU (max)',
    'hashes (max)',
    'JSON bytes (max)',
  ]),
  line(['---', '---', '---', '---', '---', '---', '---', '---', '---']),
  ...rows.map((r) =>
    line([
      r.n.toLocaleString('en-US'),
      `${r.inclusion.items} / ${f1(r.inclusion.itemsMean)}`,
      r.inclusion.rcu,
      r.inclusion.hashes,
      r.inclusion.json,
      `${r.consistency.items} / ${f1(r.consistency.itemsMean)}`,
      r.consistency.rcu,
      r.consistency.hashes,
      r.consistency.json,
    ]),
  ),
  '',
  `An auditor's side (this machine): verifying a checkpoint (ES256 JWS, with the JWKS) takes ${f2(times.checkpointMs)} ms; an inclusion proof of a`,
  `tree of 1,024 events ${f2(times.inclusionMs * 1000)} µs. The status read is unchanged: one GetItem (the frontier adds at most 17 × 32 bytes).`,
  '',
].join('\n');

process.stdout.write(`${markdown}\n`);
if (!process.argv.includes('--print')) {
  const file = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  appendFileSync(file, `\n${markdown}`);
  process.stdout.write(`Appended to ${file}\n`);
}
