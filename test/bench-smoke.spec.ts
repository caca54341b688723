import { describe, expect, inject, it } from 'vitest';
import { checkBudget } from '../bench/budget.js';
import { type BenchResults, runBenchmarks } from '../bench/harness.js';
import { renderResults } from '../bench/report.js';
import { functionSpecs, liveFunctionSpecs } from '../lib/function-specs.js';

/**
 * The benchmark harness in its tiniest mode against the run's DynamoDB Local: it must
 * produce every figure with sane values. The figures themselves are judged by
 * `npm run bench`, never here.
 */
const finitePositive = (n: number) => Number.isFinite(n) && n > 0;

describe('the benchmark harness (smoke scale)', () => {
  it('produces every figure', { timeout: 300_000 }, async () => {
    const r: BenchResults = await runBenchmarks({
      scale: 'smoke',
      dynamo: { endpoint: inject('dynamoEndpoint'), credentials: inject('dynamoCredentials') },
    });

    expect(r.append.appends).toBeGreaterThan(0);
    for (const ms of Object.values(r.append.medianMs)) expect(finitePositive(ms)).toBe(true);
    expect(finitePositive(r.append.ratio.store) && finitePositive(r.append.ratio.handler)).toBe(true);
    expect(r.append.roundTrips.single).toBe(2);
    expect(r.append.roundTrips.batch).toBe(2);
    expect(r.append.roundTrips.singleByCommand).toEqual({ GetItem: 1, TransactWriteItems: 1 });
    expect(r.append.capacity.windows).toHaveLength(3);
    for (const w of r.append.capacity.windows)
      expect([w.reportedPerEvent, w.computedPerEvent, w.budgetPerEvent].every(finitePositive)).toBe(true);
    expect(r.localAccounting.every((p) => p.reported.table > 0 && p.computed.table > 0)).toBe(true);

    expect(r.statusRead.rows.map((row) => row.history)).toEqual([10, 30, 60]);
    for (const row of r.statusRead.rows) {
      expect(row.roundTripsPerRead).toBe(1);
      expect(row.computedUnits).toBeGreaterThanOrEqual(1);
      expect(finitePositive(row.itemBytes) && finitePositive(row.medianMs)).toBe(true);
    }
    expect(Object.values(r.statusRead.ratio).every(finitePositive)).toBe(true);

    expect(r.timeTravel.rows).toHaveLength(8);
    expect(r.timeTravel.rows.filter((row) => row.targets === 'worst case')).toHaveLength(4);
    for (const row of r.timeTravel.rows)
      expect(row.itemsRead.max > 0 && row.roundTrips.median >= 1 && finitePositive(row.medianMs)).toBe(true);

    expect(
      [r.replay.foldEventsPerSecond, r.replay.foldEventsPerCpuSecond, r.replay.verifyAndFoldEventsPerSecond].every(finitePositive),
    ).toBe(true);
    expect(r.replay.auditAppended.ok).toBe(true);
    expect(r.replay.auditMemory.map((m) => m.history)).toEqual([50, 200]);
    for (const m of r.replay.auditMemory)
      expect(m.ok && finitePositive(m.eventsPerSecond) && Number.isFinite(m.retainedGrowthBytes)).toBe(true);
    expect(Number.isFinite(r.replay.memoryRatio)).toBe(true);

    expect(r.concurrency.rows).toHaveLength(4);
    for (const row of r.concurrency.rows) expect(finitePositive(row.appendsPerSecond) && row.gaveUp === 0).toBe(true);
    // One hot talks, racing and taking turns, per writer count; turns never retry.
    expect(r.hotTalks.rows.map((row) => [row.mode, row.writers])).toEqual([
      ['race', 1],
      ['race', 4],
      ['turns', 1],
      ['turns', 4],
    ]);
    for (const row of r.hotTalks.rows) expect(finitePositive(row.appendsPerSecond) && row.busy === 0).toBe(true);
    expect(r.hotTalks.rows.filter((row) => row.mode === 'turns').map((row) => row.retries)).toEqual([0, 0]);

    expect(r.bundles.optionDrift).toEqual([]);
    expect(r.bundles.rows.map((b) => b.entry).sort()).toEqual(
      [...functionSpecs, ...Object.values(liveFunctionSpecs)].map((x) => x.entry).sort(),
    );
    for (const b of [r.bundles.baseline, ...r.bundles.rows])
      expect([b.bytes, b.sizeRatio, b.initMs, b.initRatio, b.initMsSourceMaps].every(finitePositive)).toBe(true);
    // Each function against its own baseline (its SDK clients, bench/sdk-baseline.ts), which holds exactly its client packages.
    expect(r.bundles.baselineDrift).toEqual([]);
    for (const b of r.bundles.rows) {
      const own = r.bundles.ownBaselines.find((o) => o.id === b.own.baseline);
      expect(own?.usedBy, b.id).toContain(b.id);
      expect(own?.sdkPackages, b.id).toEqual(b.sdkPackages.length > 0 ? b.sdkPackages : r.bundles.baseline.sdkPackages);
      expect(
        Object.values(b.own)
          .filter((v) => typeof v === 'number')
          .every(finitePositive),
      ).toBe(true);
      expect(b.own.sizeRatio).toBeCloseTo(b.bytes / (own?.bytes ?? Number.NaN), 9);
    }
    const kmsRows = r.bundles.rows.filter((b) => b.sdkPackages.includes('@aws-sdk/client-kms'));
    expect(kmsRows.map((b) => b.id)).toContain('AppendEvents');
    for (const b of kmsRows)
      expect(r.bundles.ownBaselines.find((o) => o.id === b.own.baseline)?.sdkPackages, b.id).toContain('@aws-sdk/client-kms');

    expect(r.itemSizes.status.every((s) => s.bytes > 0)).toBe(true);
    expect(r.itemSizes.event.max).toBeGreaterThan(0);

    expect(r.peers.rows.map((row) => row.name)).toEqual([
      'this project',
      'Castore 2.4.2',
      'Equinox DynamoStore 1.2.0, default 32 KiB tip',
      'Equinox DynamoStore 1.2.0, 4 KiB tip',
    ]);
    for (const row of r.peers.rows)
      expect([row.roundTrips, row.writeUnitsByRules, row.writeUnitsReported, row.medianMs, row.bytesPerEvent].every(finitePositive)).toBe(
        true,
      );
    expect(r.peers.rows[0]?.roundTrips).toBe(2);
    expect(r.peers.stateReads.map((s) => s.length)).toEqual([18, 30]);
    for (const s of r.peers.stateReads) expect(s.bySystem.every((b) => b.roundTrips >= 1 && b.readUnitsByRules > 0)).toBe(true);

    // The verifiable log (issue 12): proofs through the store read what the tree's arithmetic
    // predicts and check against the signed roots; in-memory costs at the smoke sizes.
    const v = r.verifiableLog;
    expect([v.append.medianMs.withLog, v.append.medianMs.withoutLog, v.append.ratio, v.append.signUs].every(finitePositive)).toBe(true);
    expect(v.append.roundTrips).toEqual({ withLog: 2, withoutLog: 2 });
    expect(v.storedProofs.map((p) => [p.history, p.kind])).toEqual(
      [10, 30, 60].flatMap((history) => [
        [history, 'inclusion'],
        [history, 'consistency'],
      ]),
    );
    for (const p of v.storedProofs) {
      expect(p.itemsRead).toBe(p.itemsPredicted);
      expect(p.itemsRead).toBeGreaterThan(1);
      expect(p.roundTrips).toBe(2);
      expect(p.verified).toBeGreaterThan(0);
    }
    expect(v.tree.rows.map((t) => t.n)).toEqual([100, 1_000]);
    for (const t of v.tree.rows) {
      expect(t.log2n).toBe(Math.ceil(Math.log2(t.n)));
      expect(
        [t.inclusion.items, t.inclusion.bytes, t.consistency.items, t.consistency.bytes, t.rootFromLeavesMs].every(finitePositive),
      ).toBe(true);
      expect(t.inclusion.bytes).toBe(32 * t.inclusion.hashes);
      expect([t.addedBytes.event, t.addedBytes.head, t.addedBytes.status].every(finitePositive)).toBe(true);
      expect(Number.isFinite(t.addedWcu.single) && t.addedWcu.single >= 0).toBe(true);
    }
    expect([v.tree.checkpointVerifyUs, v.tree.checkpointAndFrontierRootUs, v.tree.inclusionVerifyUs].every(finitePositive)).toBe(true);
    expect(r.append.capacity.verifiableLog.map((u) => u.submissions).every((n) => n > 0)).toBe(true);
    for (const u of r.append.capacity.verifiableLog) expect(Number.isFinite(u.meanPerEvent) && u.meanPerEvent >= 0).toBe(true);

    // The CDN burst (issue 13): counts on a virtual clock, so they are exact at any load.
    expect(r.cdnBurst.rows.map((row) => [row.kind, row.reads])).toEqual([
      ['live', 200],
      ['live', 200],
      ['settled', 200],
      ['private', 200],
    ]);
    for (const row of r.cdnBurst.rows) {
      expect(row.originRequests).toBeGreaterThan(0);
      expect(row.originRequests).toBeLessThanOrEqual(row.allowedOriginRequests);
    }
    // A read that needs a token never comes from the shared cache; the others mostly do.
    expect(r.cdnBurst.rows.at(-1)?.originRequests).toBe(200);
    for (const row of r.cdnBurst.rows.slice(0, 3)) expect(row.hitRatio).toBeGreaterThan(0.5);

    expect(checkBudget(r).length).toBeGreaterThan(20);
    const markdown = renderResults(r);
    for (const heading of [
      '## Budget comparison',
      '## 8. Verifiable log',
      '## 9. CDN burst',
      '## 10. Feed and live latency',
      '## 11. Peers',
      'The own baselines',
    ])
      expect(markdown).toContain(heading);
    expect(markdown).toContain('RESULTS-feed.md');
  });
});
