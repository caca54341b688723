import type { PeerFigures } from './peers.bench.js';

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n));

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** What each system keeps, by design (not measured): the guarantees its write units pay for. */
const features: [string, string, string, string][] = [
  [
    'put-only log (no item of the log is ever updated)',
    'yes',
    'yes',
    'no: the tip item holds the latest events and is updated in place, then calved',
  ],
  ['exact idempotency forever (an event id resent is a replay, other content a 409)', 'yes (one record per event id)', 'no', 'no'],
  [
    'state consistent with the log, read in one item',
    'yes (status item in the same transaction)',
    'no (state = replay of every event)',
    'yes (snapshot unfold in the tip)',
  ],
  ['hash chain over the log', 'yes', 'no', 'no'],
  ['bounded time travel (atVersion, asOf)', 'yes (snapshots every 50 and at revisions)', 'replay from the start', 'no'],
  ['optimistic concurrency on a version', 'yes (retries from the cancelled item)', 'yes (conditional put)', 'yes (conditional tip update)'],
];

/** The peers' tables: per append, per state read, and what each keeps. */
export function peersTables(p: PeerFigures): string {
  const ours = p.rows[0];
  const castore = p.rows.find((r) => r.name.startsWith('Castore'));
  const appendRows = p.rows.map((r) => [
    r.name,
    f(r.roundTrips, 1),
    `${f(r.writeUnitsByRules)}${r.indexUnitsByRules > 0 ? ` (of which indexes ${f(r.indexUnitsByRules)})` : ''}`,
    f(r.writeUnitsReported),
    f(r.readUnitsByRules),
    f(r.readUnitsReported),
    f(r.ratio),
    `${int(r.bytesPerEvent)}${castore === undefined ? '' : ` (${f(r.bytesPerEvent / castore.bytesPerEvent)}× Castore)`}`,
  ]);
  const names = p.rows.map((r) => r.name);
  const readRows = p.stateReads.map((s) => [
    int(s.length),
    ...names.map((name) => {
      const x = s.bySystem.find((b) => b.name === name);
      return x === undefined ? '-' : `${x.roundTrips} / ${f(x.readUnitsByRules, 1)} (${f(x.readUnitsReported, 1)})`;
    }),
  ]);
  return `Per single-event append on a stream of ${int(p.history)} events and more (${p.appends} appends per system, interleaved in rotating order; means, and the ratio of median latencies to ours${ours === undefined ? '' : `, ${f(ours.medianMs)} ms`}):

${table(['system', 'round trips', 'write units by the rules', 'write units reported by DynamoDB Local', 'read units by the rules', 'read units reported', 'latency ratio (medians)', 'bytes stored per event'], appendRows)}

State read (round trips / read units by the rules (reported)), after a history of:

${table(['events', ...names], readRows)}

What each keeps:

${table(['guarantee', 'this project', 'Castore 2.4.2', 'Equinox DynamoStore 1.2.0'], features)}`;
}

export function peersSection(p: PeerFigures): string {
  return `## 11. Peers (bench/peers.bench.ts)
The same events (the cycled scenario, one development per submission) and the same fold (our evolve) in each system, on the same DynamoDB Local: Castore 2.4.2 (\`@castore/core\`, \`@castore/event-storage-adapter-dynamodb\` single-table adapter: one conditional put per event, the state replayed from every event; its append is a \`pushEvent\` at a version the caller knows, so it reads nothing); Equinox DynamoStore 1.2.0 (\`@equinox-js/core\`, \`@equinox-js/dynamo-store\`: Snapshot access strategy, \`Codec.compress\`, no cache, so each decision loads the tip; default 32 KiB tip and a tuned 4 KiB one); this project (\`appendEvents\`: one GetItem, one TransactWriteItems of event, idempotency record and status item). Units by the rules: each written item read back raw after the append and costed by the larger of its size before and after (doubled inside a transaction), our index entries by listIndexWriteUnits and the snapshot index; reads by the bytes returned (per 4 KB, halved when eventually consistent). Bytes stored: every item a system keeps for the stream, by the size rules, with its index entries (+100 B each), divided by its events.

${peersTables(p)}`;
}
