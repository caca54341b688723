import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { consistencyProof, eventLeafHash, inclusionProof, verifyConsistency, verifyInclusion } from '../functions/domain/merkle-tree.js';
import { versionsFor } from '../functions/domain/tree-nodes.js';
import { appendEvents } from '../functions/store/append-events.js';
import { statusKey } from '../functions/store/item-keys.js';
import { readEvents } from '../functions/store/read-log.js';
import { checkpointAt, consistencyProofOf, inclusionProofOf, signHead } from '../functions/store/tree-store.js';
import type { BenchStore } from './bench-store.js';
import { median, quantile } from './stats.js';
import { type TreeCostFigures, treeCosts } from './tree-costs.js';
import { parsedEventAt, talksIdFor } from './workload.js';

/**
 * The verifiable log's (issue 12) added cost on the real append path, and its proofs on
 * the real proof routes, against DynamoDB Local; plus the in-memory costs at the issue's
 * sizes (tree-costs.ts).
 *
 * Latency: the same single-event appends on two talks, interleaved in rotating order. One
 * has its tree (every new talks does: a leaf per event, the nodes it completes in its item,
 * the frontier in the status item, a signed checkpoint in the head). The other is made a
 * talks "stored before trees" by removing the frontier from its status item after its
 * opening: the production append path then builds no tree and signs nothing
 * (functions/store/append-events.ts, treeContext), with no code changed for the bench.
 * Signing alone (signHead: ES256 over the JWS input, checked against the public key, and
 * the checkpoint's encoding) is timed apart, in process.
 */
export interface StoredProofRow {
  history: number;
  kind: 'inclusion' | 'consistency';
  samples: number;
  /** Items the route read (metered), max; and what the tree's arithmetic predicts (max). */
  itemsRead: number;
  itemsPredicted: number;
  roundTrips: number;
  unitsReported: number;
  hashes: number;
  /**
   * Proofs checked against signed roots: every inclusion proof against the head's; the
   * consistency proofs from the sizes that have a checkpoint (submission heads).
   */
  verified: number;
}

export interface VerifiableLogFigures {
  append: {
    appends: number;
    medianMs: { withLog: number; withoutLog: number };
    p90Ms: { withLog: number; withoutLog: number };
    /** Median with the log over median without. */
    ratio: number;
    /** signHead in process, median µs. */
    signUs: number;
    roundTrips: { withLog: number; withoutLog: number };
  };
  storedProofs: StoredProofRow[];
  tree: TreeCostFigures;
}

export interface VerifiableLogProofOptions {
  treeSizes: readonly number[];
  proofSamples: number;
  verifyRounds: number;
  /** Histories built by appends (length → talks id) on `readStore`, for proofs through the routes. */
  histories: ReadonlyMap<number, string>;
  storedProofSamples: number;
}

/** Before the long histories fill DynamoDB Local (as the other latency ratios). */
export async function verifiableLogAppendBench(
  store: BenchStore,
  options: { appends: number; warmup: number; verifyRounds: number },
): Promise<VerifiableLogFigures['append']> {
  const { ctx, counter } = store;
  const withLog = talksIdFor('vlog-w');
  const withoutLog = talksIdFor('vlog-n');
  for (const talksId of [withLog, withoutLog]) await appendEvents(ctx, { talksId, events: [parsedEventAt(0)], principal: 'bench' });
  await ctx.doc.send(
    new UpdateCommand({ TableName: ctx.tables.state, Key: statusKey(withoutLog), UpdateExpression: 'REMOVE frontier, treeBase' }),
  );
  const times = { withLog: [] as number[], withoutLog: [] as number[] };
  const trips = { withLog: 0, withoutLog: 0 };
  const total = options.appends + options.warmup;
  for (let i = 1; i <= total; i += 1) {
    const order = i % 2 === 0 ? (['withLog', 'withoutLog'] as const) : (['withoutLog', 'withLog'] as const);
    for (const variant of order) {
      counter.reset();
      const started = performance.now();
      const result = await appendEvents(ctx, {
        talksId: variant === 'withLog' ? withLog : withoutLog,
        events: [parsedEventAt(i)],
        principal: 'bench',
      });
      const ms = performance.now() - started;
      if (result.outcome !== 'appended') throw new Error(`append ${variant}: ${result.outcome}`);
      trips[variant] = Math.max(trips[variant], counter.total());
      if (i > options.warmup) times[variant].push(ms);
    }
  }
  // The talks without a tree must still have none (else the comparison compares nothing).
  const checkpointOfBare = await checkpointAt(ctx, withoutLog).then(
    () => 'signed',
    () => 'none',
  );
  if (checkpointOfBare !== 'none') throw new Error('the talks without a tree got a checkpoint');
  const signTimes: number[] = [];
  const root = Buffer.alloc(32, 7);
  await signHead(ctx, withLog, 1, root);
  for (let i = 0; i < Math.max(20, options.verifyRounds); i += 1) {
    const started = performance.now();
    await signHead(ctx, withLog, i + 1, root);
    signTimes.push(performance.now() - started);
  }
  const medianMs = { withLog: median(times.withLog), withoutLog: median(times.withoutLog) };
  return {
    appends: times.withLog.length,
    medianMs,
    p90Ms: { withLog: quantile(times.withLog, 0.9), withoutLog: quantile(times.withoutLog, 0.9) },
    ratio: medianMs.withLog / medianMs.withoutLog,
    signUs: 1000 * median(signTimes),
    roundTrips: trips,
  };
}

/** Deterministic spread of up to `count` points in [lo, hi]. */
const spread = (lo: number, hi: number, count: number) => {
  const points = new Set([lo, hi, Math.floor((lo + hi) / 2)]);
  for (let i = 0; points.size < Math.min(count, hi - lo + 1); i += 1) points.add(lo + ((i * 2_654_435_761) % (hi - lo + 1)));
  return [...points].sort((a, b) => a - b);
};

/** Proofs through the store's proof functions (what the routes call), metered. */
async function storedProofs(store: BenchStore, options: VerifiableLogProofOptions): Promise<StoredProofRow[]> {
  const { ctx, counter } = store;
  const rows: StoredProofRow[] = [];
  for (const [history, talksId] of [...options.histories].sort(([a], [b]) => a - b)) {
    const head = await checkpointAt(ctx, talksId);
    if (head.treeSize !== history) throw new Error(`history ${history} has a tree of ${head.treeSize}`);
    const versions = spread(1, history, options.storedProofSamples);
    const leaves = new Map((await readEvents(ctx, talksId, versions)).map((e) => [e.version, eventLeafHash(e.hash)]));
    const root = Buffer.from(head.rootHash, 'hex');
    const inclusion = { items: 0, predicted: 0, trips: 0, units: 0, hashes: 0, verified: 0 };
    for (const v of versions) {
      const { result, itemsRead, roundTrips, units } = await counter.measure(() => inclusionProofOf(ctx, talksId, v, history));
      const path = result.path.map((h) => Buffer.from(h, 'hex'));
      if (!verifyInclusion(leaves.get(v) as Buffer, v - 1, history, path, root))
        throw new Error(`the inclusion proof of ${v} in ${history} does not verify`);
      inclusion.verified += 1;
      inclusion.items = Math.max(inclusion.items, itemsRead);
      inclusion.predicted = Math.max(inclusion.predicted, 1 + versionsFor((t) => inclusionProof(t, v - 1, history)).length);
      inclusion.trips = Math.max(inclusion.trips, roundTrips);
      inclusion.units = Math.max(inclusion.units, units);
      inclusion.hashes = Math.max(inclusion.hashes, path.length);
    }
    rows.push({
      history,
      kind: 'inclusion',
      samples: versions.length,
      itemsRead: inclusion.items,
      itemsPredicted: inclusion.predicted,
      roundTrips: inclusion.trips,
      unitsReported: inclusion.units,
      hashes: inclusion.hashes,
      verified: inclusion.verified,
    });
    const consistency = { items: 0, predicted: 0, trips: 0, units: 0, hashes: 0, verified: 0 };
    // Sizes with a checkpoint (submission heads) among the samples, so that some proofs are checked.
    const from = [...new Set([...versions, ...spread(1, Math.floor(history / 25), 4).map((k) => k * 25)])].filter(
      (m) => m >= 1 && m <= history,
    );
    for (const m of from) {
      const { result, itemsRead, roundTrips, units } = await counter.measure(() => consistencyProofOf(ctx, talksId, m, history));
      const signed = await checkpointAt(ctx, talksId, m).catch(() => undefined);
      if (signed !== undefined) {
        const path = result.path.map((h) => Buffer.from(h, 'hex'));
        if (!verifyConsistency(m, history, path, Buffer.from(signed.rootHash, 'hex'), root))
          throw new Error(`the consistency proof ${m} → ${history} does not verify`);
        consistency.verified += 1;
      }
      consistency.items = Math.max(consistency.items, itemsRead);
      consistency.predicted = Math.max(consistency.predicted, 1 + versionsFor((t) => consistencyProof(t, m, history)).length);
      consistency.trips = Math.max(consistency.trips, roundTrips);
      consistency.units = Math.max(consistency.units, units);
      consistency.hashes = Math.max(consistency.hashes, result.path.length);
    }
    rows.push({
      history,
      kind: 'consistency',
      samples: from.length,
      itemsRead: consistency.items,
      itemsPredicted: consistency.predicted,
      roundTrips: consistency.trips,
      unitsReported: consistency.units,
      hashes: consistency.hashes,
      verified: consistency.verified,
    });
  }
  return rows;
}

/** Proofs through the store on the histories the bench built, and the in-memory costs at the sizes. */
export async function verifiableLogProofsBench(
  readStore: BenchStore,
  options: VerifiableLogProofOptions,
): Promise<Pick<VerifiableLogFigures, 'storedProofs' | 'tree'>> {
  const stored = await storedProofs(readStore, options);
  const tree = await treeCosts({ sizes: options.treeSizes, samples: options.proofSamples, rounds: options.verifyRounds });
  return { storedProofs: stored, tree };
}
