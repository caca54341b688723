import type { TreeUnits } from './append-capacity.js';
import type { VerifiableLogFigures } from './verifiable-log.bench.js';

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n));

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The verifiable log's section of bench/RESULTS.md (issue 12: proofs and the append's added cost). */
export function verifiableLogSection(v: VerifiableLogFigures, units: readonly TreeUnits[]): string {
  const a = v.append;
  const t = v.tree;
  return `## 8. Verifiable log (issue 12)
How the tree is stored (functions/domain/tree-nodes.ts): each event item carries the node hashes its leaf completes (\`tree\`, one on average), the head of each submission its signed checkpoint (\`cp\`, 136 bytes), the status item the frontier (\`frontier\`, one hash per set bit of the size). A proof reads the status item, then one BatchGetItem of the versions that hold the nodes.

### Proofs through the store, on the histories built by appends
\`inclusionProofOf\` / \`consistencyProofOf\` (what the proof routes call) against DynamoDB Local, metered; items read beside what the tree's arithmetic predicts (1 + the versions holding the nodes). Every inclusion proof is checked against the head's signed root, and the consistency proofs from sizes with a checkpoint against both signed roots.

${table(
  [
    'history',
    'proof',
    'samples',
    'items read (max)',
    'predicted (max)',
    'round trips (max)',
    'read units reported (max)',
    'hashes (max)',
    'checked against signed roots',
  ],
  v.storedProofs.map((r) => [
    int(r.history),
    r.kind,
    r.samples,
    r.itemsRead,
    r.itemsPredicted,
    r.roundTrips,
    f(r.unitsReported, 1),
    r.hashes,
    r.verified,
  ]),
)}

### Proof costs at ${t.rows.map((r) => int(r.n)).join(', ')} events (in memory, by DynamoDB's rules)
The items the code builds for a history of the scenario's events (repeated), at each size; ${t.rows[0]?.proofs ?? 0} proofs of each kind per size spread over the log, each checked equal to the proof made from all leaves (MemoryTree). Items read = the status GetItem + the versions holding the nodes; read units by item size, strongly consistent.

${table(
  [
    'events',
    '⌈log2 n⌉',
    'inclusion: items read (max / mean)',
    'RCU (max)',
    'hashes (max)',
    'bytes (max)',
    'JSON answer (max)',
    'consistency: items read (max / mean)',
    'RCU (max)',
    'hashes (max)',
    'bytes (max)',
    'JSON answer (max)',
  ],
  t.rows.map((r) => [
    int(r.n),
    r.log2n,
    `${r.inclusion.items} / ${f(r.inclusion.itemsMean, 1)}`,
    r.inclusion.rcu,
    r.inclusion.hashes,
    r.inclusion.bytes,
    int(r.inclusion.json),
    `${r.consistency.items} / ${f(r.consistency.itemsMean, 1)}`,
    r.consistency.rcu,
    r.consistency.hashes,
    r.consistency.bytes,
    int(r.consistency.json),
  ]),
)}

### The append's added cost
Write units by the rules, the append bench's own transactions (section 1) costed as captured and with \`tree\`, \`cp\`, \`frontier\` and \`treeBase\` removed (table + indexes). An item pays more only when these bytes push it over a 1 KB step (2 units in a transaction): the mean is what a long run pays, the max what one submission can.

${table(
  ['submissions', 'count', 'write units added per event (mean)', 'most added to one submission', 'submissions that paid more'],
  units.map((u) => [u.label, u.submissions, f(u.meanPerEvent), u.maxPerSubmission, u.submissionsPaying]),
)}

The same at the issue's sizes (in memory; 256 one-event submissions after each size, one full cycle of the low bits of the version):

${table(
  [
    'events',
    'bytes added: event item',
    'head item (+ checkpoint)',
    'status item (frontier)',
    'write units added per 1-event submission (mean / max)',
    'per event, 25 a submission (mean)',
  ],
  t.rows.map((r) => [
    int(r.n),
    f(r.addedBytes.event, 1),
    f(r.addedBytes.head, 1),
    f(r.addedBytes.status, 1),
    `${f(r.addedWcu.single)} / ${r.addedWcu.worst}`,
    f(r.addedWcu.batch25),
  ]),
)}

Latency: ${a.appends} single-event appends per variant through \`appendEvents\`, interleaved in rotating order: on a talks with its tree, and on one made a talks "stored before trees" (its status item's frontier removed after the opening), for which the production path builds no tree and signs nothing.

${table(
  ['variant', 'median ms', 'p90 ms', 'ratio of medians', 'round trips (max)'],
  [
    [
      'without the verifiable log (no tree, no signature)',
      f(a.medianMs.withoutLog),
      f(a.p90Ms.withoutLog),
      '1.00',
      a.roundTrips.withoutLog,
    ],
    [
      'with it (tree nodes, frontier, ES256 checkpoint per submission)',
      f(a.medianMs.withLog),
      f(a.p90Ms.withLog),
      f(a.ratio),
      a.roundTrips.withLog,
    ],
  ],
)}

Signing alone (\`signHead\`: ES256 with the local P-256 key, the signature checked against the public key, the checkpoint encoded), in process: median ${f(a.signUs, 0)} µs, ${f((a.signUs / 1000 / a.medianMs.withoutLog) * 100, 1)} % of the append without the log. With KMS (on AWS) signing is a network call instead: one Sign request, typically a few ms, not measured here.

### An auditor's side (in process, medians of ${t.rounds})
- Checkpoint verification, the ES256 JWS against the JWKS: **${f(t.checkpointVerifyUs, 0)} µs**; with the root recomputed from the status item's frontier and compared: ${f(t.checkpointAndFrontierRootUs, 0)} µs.
- Root recomputation from all leaves (what \`talks verify\` does for an export before checking the checkpoint): ${t.rows.map((r) => `${int(r.n)} events ${f(r.rootFromLeavesMs, r.rootFromLeavesMs < 10 ? 2 : 0)} ms`).join(', ')}.
- An inclusion proof at ${int(t.rows.at(-1)?.n ?? 0)} events checked against its root: ${f(t.inclusionVerifyUs, 1)} µs.`;
}
