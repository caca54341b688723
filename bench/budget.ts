import { KB, readUnits } from './capacity-rules.js';
import type { BenchResults } from './harness.js';

export interface BudgetCheck {
  area: string;
  figure: string;
  measured: string;
  budget: string;
  pass: boolean;
}

const x = (n: number) => `${n.toFixed(2)}×`;
const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} KB`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const f2 = (n: number) => n.toFixed(2);

/** Every figure the design's performance budget (issue 6) states, measured against it. */
export function checkBudget(r: BenchResults): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  const add = (area: string, figure: string, measured: string, budget: string, pass: boolean) =>
    checks.push({ area, figure, measured, budget, pass });
  const a = r.append;
  add(
    'append',
    'round trips per submission (1 event / 25 events)',
    `${a.roundTrips.single} / ${a.roundTrips.batch}`,
    '≤ 2',
    a.roundTrips.single <= 2 && a.roundTrips.batch <= 2,
  );
  add('append', 'overhead: validation + appendEvents vs bare calls (median)', x(a.ratio.store), '≤ 1.30×', a.ratio.store <= 1.3);
  add('append', 'overhead: whole Lambda handler vs bare calls (median)', x(a.ratio.handler), '≤ 1.30×', a.ratio.handler <= 1.3);
  for (const w of a.capacity.windows) {
    add(
      'append',
      `write units per event, ${w.label} (by item sizes; + indexes)`,
      `${w.computedPerEvent.toFixed(2)} (+ ${w.indexPerEvent.toFixed(2)})`,
      `≤ ${w.budgetPerEvent.toFixed(2)}`,
      w.computedPerEvent <= w.budgetPerEvent + 1e-9,
    );
  }
  const steady = a.capacity.windows.find((w) => w.label.includes('steady state'));
  if (steady !== undefined) {
    const total = steady.computedPerEvent + steady.indexPerEvent;
    add(
      'append',
      'write units per event, single events, steady state, table + indexes (by the rules)',
      f2(total),
      '≤ 6.50 (issue 13)',
      total <= 6.5 + 1e-9,
    );
  }
  const castore = r.peers.rows.find((row) => row.name.startsWith('Castore'));
  const ours = r.peers.rows[0];
  if (castore !== undefined && ours !== undefined)
    add(
      'storage',
      "bytes stored per event vs Castore's (peers section, same events, same measure)",
      `${int(ours.bytesPerEvent)} B vs ${int(castore.bytesPerEvent)} B = ${x(ours.bytesPerEvent / castore.bytesPerEvent)}`,
      '≤ 1.50× (issue 13)',
      ours.bytesPerEvent <= 1.5 * castore.bytesPerEvent,
    );
  const sizes = r.itemSizes;
  const scenarioStatus = sizes.status[0]!;
  add('append', `status item, ${scenarioStatus.label}`, kb(scenarioStatus.bytes), '< 4 KB', scenarioStatus.bytes < 4 * KB);
  for (const s of sizes.status.slice(1)) add('append', `status item, ${s.label}`, kb(s.bytes), '< 4 KB', s.bytes < 4 * KB);
  add('append', 'event item, largest in the scenario', kb(sizes.event.max), '≤ 1 KB', sizes.event.max <= KB);

  const sr = r.statusRead;
  const first = sr.rows[0]!;
  const last = sr.rows.at(-1)!;
  add(
    'status read',
    'round trips per read',
    String(Math.max(...sr.rows.map((row) => row.roundTripsPerRead))),
    '1',
    sr.rows.every((row) => row.roundTripsPerRead === 1),
  );
  add(
    'status read',
    'read units, scenario status item (consistent GetItem)',
    String(readUnits(scenarioStatus.bytes)),
    '≤ 1',
    readUnits(scenarioStatus.bytes) <= 1,
  );
  add(
    'status read',
    `read units ${int(last.history)} : ${int(first.history)} events (by item size)`,
    `${last.computedUnits} : ${first.computedUnits} = ${x(sr.ratio.units)}`,
    '≈ 1×',
    sr.ratio.units <= 1,
  );
  add(
    'status read',
    `latency ${int(last.history)} : ${int(first.history)} events (median)`,
    x(sr.ratio.latency),
    '≈ 1× (noise ±0.3)',
    sr.ratio.latency <= 1.3,
  );

  const tt = r.timeTravel;
  // Counted the same for both modes: every item read, the snapshot the read starts from
  // included, against that snapshot + one interval of the log (issue 3's "one snapshot plus
  // at most K events"; issue 6's "bounded by the snapshot interval"). atVersion needs at most
  // K - 1 events after its snapshot. asOf reads the events through the next multiple of K:
  // up to K - 1 it may need and the boundary one, the proof that nothing later was known by
  // then (the snapshot there may be missing: a State table not yet rebuilt, another interval).
  for (const mode of ['atVersion', 'asOf'] as const) {
    const rows = tt.rows.filter((row) => row.mode === mode);
    const worst = Math.max(...rows.map((row) => row.itemsRead.max));
    const label = rows.map((row) => `${int(row.history)}${row.targets === 'worst case' ? ` worst case, ${row.built}` : ''}`).join(' / ');
    add(
      'time travel',
      `${mode}: most items read, its snapshot included (histories ${label})`,
      rows.map((row) => String(row.itemsRead.max)).join(' / '),
      `≤ 1 + ${tt.snapshotInterval}: the snapshot + the snapshot interval of events${mode === 'asOf' ? ' (the last past the moment)' : ''}, at every length`,
      worst <= 1 + tt.snapshotInterval,
    );
    // What costs money: strongly consistent reads are 4 KB a unit, per query. At the 1 KB event budget,
    // one query of the snapshot (< 4 KB) and one of at most K events.
    const unitBound = readUnits(KB) + readUnits(tt.snapshotInterval * KB);
    add(
      'time travel',
      `${mode}: read units (median, as DynamoDB Local reports them; histories ${label})`,
      rows.map((row) => f2(row.reportedUnits)).join(' / '),
      `≤ ${unitBound}: 1 for the snapshot + ⌈${tt.snapshotInterval} events × 1 KB / 4 KB⌉, at every length`,
      rows.every((row) => row.reportedUnits <= unitBound),
    );
  }
  const rp = r.replay;
  add(
    'replay',
    `fold in memory (${int(rp.foldEvents)} events), per CPU second (per wall second)`,
    `${int(rp.foldEventsPerCpuSecond)} (${int(rp.foldEventsPerSecond)}) events/s`,
    '≥ 200,000 events/s',
    rp.foldEventsPerCpuSecond >= 200_000,
  );
  const m0 = rp.auditMemory[0]!;
  const m1 = rp.auditMemory.at(-1)!;
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const lateGrowth = (m1.retainedAtBytes[3] ?? 0) - (m1.retainedAtBytes[1] ?? 0);
  add(
    'replay',
    `audit heap retained: ${int(m1.history)} vs ${int(m0.history)} events; growth over the 2nd half of the longest`,
    `${mib(m1.retainedGrowthBytes)} vs ${mib(m0.retainedGrowthBytes)} (${x(rp.memoryRatio)}); ${mib(lateGrowth)}`,
    `flat: ≤ 2× for ${int(m1.history / m0.history)}× the history, ≤ 1 MiB late growth`,
    rp.memoryRatio <= 2 && lateGrowth <= 2 ** 20,
  );

  const v = r.verifiableLog;
  // c = 2: each hash of a proof (at most ⌈log2 n⌉ for inclusion, ⌈log2 n⌉ + 1 for consistency) is
  // one stored node, except at most one (the right edge's, an incomplete subtree), which is rebuilt
  // from at most ⌈log2 n⌉ stored nodes; + 1 for the status GetItem that gives the size.
  for (const t of v.tree.rows) {
    const bound = 2 * t.log2n + 1;
    add(
      'verifiable log',
      `proof items read at ${int(t.n)} events, inclusion / consistency (max)`,
      `${t.inclusion.items} / ${t.consistency.items} (⌈log2 n⌉ = ${t.log2n})`,
      `≤ 2·⌈log2 n⌉ + 1 = ${bound}`,
      t.inclusion.items <= bound && t.consistency.items <= bound,
    );
    add(
      'verifiable log',
      `proof bytes at ${int(t.n)} events, inclusion / consistency (max)`,
      `${t.inclusion.bytes} / ${t.consistency.bytes} B`,
      `≤ 32·⌈log2 n⌉ / 32·(⌈log2 n⌉ + 1) = ${32 * t.log2n} / ${32 * (t.log2n + 1)} B (RFC 9162)`,
      t.inclusion.bytes <= 32 * t.log2n && t.consistency.bytes <= 32 * (t.log2n + 1),
    );
  }
  const stored = v.storedProofs;
  add(
    'verifiable log',
    `proofs through the store (histories ${[...new Set(stored.map((p) => int(p.history)))].join(' / ')}): items read vs predicted; checked against signed roots`,
    `${Math.max(...stored.map((p) => p.itemsRead))} vs ${Math.max(...stored.map((p) => p.itemsPredicted))} (max); ${stored.reduce((n, p) => n + p.verified, 0)} proofs checked`,
    'read = predicted at every history; every inclusion proof checks',
    stored.every((p) => p.itemsRead === p.itemsPredicted && p.roundTrips <= 2) &&
      stored.filter((p) => p.kind === 'inclusion').every((p) => p.verified === p.samples),
  );
  const treeSteady = a.capacity.verifiableLog.find((u) => u.label.includes('steady state'));
  if (treeSteady !== undefined)
    add(
      'verifiable log',
      `write units the tree adds per event, ${treeSteady.label} (mean; most for one submission)`,
      `${f2(treeSteady.meanPerEvent)} (max ${treeSteady.maxPerSubmission})`,
      '≤ 0.50 mean',
      treeSteady.meanPerEvent <= 0.5 + 1e-9,
    );
  for (const t of v.tree.rows)
    add(
      'verifiable log',
      `write units the tree adds per 1-event submission at ${int(t.n)} events (mean; max)`,
      `${f2(t.addedWcu.single)} (max ${t.addedWcu.worst})`,
      '≤ 0.50 mean',
      t.addedWcu.single <= 0.5 + 1e-9,
    );
  add(
    'verifiable log',
    'append latency with the log vs the same append without it (medians, interleaved)',
    x(v.append.ratio),
    '≤ 1.30×',
    v.append.ratio <= 1.3,
  );

  const cdn = r.cdnBurst;
  for (const row of cdn.rows) {
    const budget =
      row.kind === 'private'
        ? '= reads: a private read is never served from the shared cache'
        : row.kind === 'settled'
          ? `≤ ${row.allowedOriginRequests}: one per distinct immutable URL`
          : `≤ ${row.allowedOriginRequests}: one per URL per max-age (${cdn.maxAgeSeconds} s) window`;
    add(
      'cdn',
      `origin requests, ${row.scenario}`,
      `${row.originRequests} of ${row.reads} reads`,
      budget,
      row.kind === 'private' ? row.originRequests === row.reads : row.originRequests <= row.allowedOriginRequests,
    );
  }
  const live = cdn.rows.filter((row) => row.kind === 'live');
  add(
    'cdn',
    'a reader behind the news, live bursts (most seconds after the next version landed)',
    live.map((row) => `${row.maxLagSeconds.toFixed(2)} s`).join(' / '),
    `≤ max-age (${cdn.maxAgeSeconds} s) + one wave`,
    live.every((row) => row.maxLagSeconds <= cdn.maxAgeSeconds + row.waveSeconds + 1e-9),
  );

  // Judged on each function's own baseline (its SDK clients, bench/sdk-baseline.ts): what our code adds.
  for (const b of r.bundles.rows) {
    add(
      'bundles',
      `${b.id}: size vs its own baseline (issue's baseline)`,
      `${int(b.bytes)} B = ${x(b.own.sizeRatio)} (${x(b.sizeRatio)})`,
      '≤ 1.25×',
      b.own.sizeRatio <= 1.25,
    );
    add(
      'bundles',
      `${b.id}: init vs its own baseline (plain / --enable-source-maps)`,
      `${x(b.own.initRatio)} / ${x(b.own.initRatioSourceMaps)}`,
      '< 1.5×',
      b.own.initRatio < 1.5 && b.own.initRatioSourceMaps < 1.5,
    );
  }
  return checks;
}
