import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ChainVerifier } from '../functions/domain/audit.js';
import { project } from '../functions/domain/project.js';
import { LogReplay } from '../functions/domain/replay-policy.js';
import { auditTalks } from '../functions/store/audit-log.js';
import type { BenchDynamo, BenchStore } from './bench-store.js';
import { loadFixture, storedHistory } from './fixtures.js';
import { median } from './stats.js';
import { talksIdFor } from './workload.js';

export interface AuditMemory {
  history: number;
  ok: boolean;
  eventsPerSecond: number;
  /** Peak heap still reachable after a forced GC, above the baseline: what the audit holds. */
  retainedGrowthBytes: number;
  /** Peak heap used (garbage included) and RSS above the baseline. */
  heapUsedGrowthBytes: number;
  rssGrowthBytes: number;
  maxRssBytes: number;
  /** Retained growth after 25%, 50%, 75% and 100% of the calls: flat if it stops rising. */
  retainedAtBytes: number[];
  pages: number;
  /** Median ms per page in the first and the last quarter of the log. */
  pageMs: { firstQuarter: number; lastQuarter: number };
}

export interface ReplayFigures {
  foldEvents: number;
  /** project() over stored events in memory (median of runs), per second of wall time. */
  foldEventsPerSecond: number;
  /** The same per second of process CPU time (GC threads included): steadier on a busy machine. */
  foldEventsPerCpuSecond: number;
  /** Hash verification + fold in memory: the audit's CPU work without DynamoDB. */
  verifyAndFoldEventsPerSecond: number;
  /** auditTalks on a history built through appends (paged reads, hashes, fold). */
  auditAppended: { history: number; ok: boolean; eventsPerSecond: number };
  /** auditTalks in a fresh process on BatchWrite-loaded fixtures, with memory. */
  auditMemory: AuditMemory[];
  /** Retained growth of the largest fixture over the smallest: flat is about 1. */
  memoryRatio: number;
  fixtureLoad: { events: number; seconds: number }[];
}

const childPath = fileURLToPath(new URL('./audit-memory-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function auditInChild(dynamo: BenchDynamo, tables: BenchStore['tables'], talksId: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', childPath], {
      cwd: repoRoot,
      env: { ...process.env, BENCH_AUDIT: JSON.stringify({ dynamo, tables, talksId }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`audit child failed (${code}): ${err.slice(-2000)}`));
      else resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}

/**
 * Replay throughput and audit memory. The fold runs in memory over `foldEvents` stored
 * events; audits run against DynamoDB Local on an appended history and on fixtures whose
 * lengths differ tenfold, each in its own process, to show memory does not grow with them.
 */
export async function replayBench(
  store: BenchStore,
  dynamo: BenchDynamo,
  options: { foldEvents: number; foldRuns: number; appendedTalks: string; appendedLength: number; auditFixtures: readonly number[] },
): Promise<ReplayFigures> {
  const largest = Math.max(...options.auditFixtures);
  const foldTalks = talksIdFor('fold');
  const events = storedHistory(foldTalks, Math.max(options.foldEvents, largest));
  const foldInput = events.slice(0, options.foldEvents);
  project(foldTalks, foldInput.slice(0, 1000)); // warm the JIT
  const foldRates: number[] = [];
  const foldCpuRates: number[] = [];
  for (let run = 0; run < options.foldRuns; run += 1) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    project(foldTalks, foldInput);
    foldRates.push(foldInput.length / ((performance.now() - started) / 1000));
    const used = process.cpuUsage(cpu);
    foldCpuRates.push(foldInput.length / ((used.user + used.system) / 1e6));
  }
  const verifyStarted = performance.now();
  const verifier = new ChainVerifier(foldTalks);
  const rebuilder = new LogReplay(foldTalks);
  for (const e of foldInput) {
    verifier.push(e);
    rebuilder.push(e);
  }
  const verifyAndFoldEventsPerSecond = foldInput.length / ((performance.now() - verifyStarted) / 1000);
  if (verifier.problems.length > 0) throw new Error(`the in-memory chain does not verify: ${verifier.problems[0]?.detail}`);

  const auditStarted = performance.now();
  const appended = await auditTalks(store.ctx, options.appendedTalks);
  const auditAppended = {
    history: options.appendedLength,
    ok: appended.ok,
    eventsPerSecond: appended.checkedEvents / ((performance.now() - auditStarted) / 1000),
  };

  const auditMemory: AuditMemory[] = [];
  const fixtureLoad: ReplayFigures['fixtureLoad'] = [];
  for (const length of [...options.auditFixtures].sort((a, b) => a - b)) {
    // The largest fixture is the fold's own log; smaller ones are logs of their own.
    const fixture = length === events.length ? events : storedHistory(talksIdFor('audit'), length);
    const loadStarted = performance.now();
    await loadFixture(store.ctx, fixture);
    fixtureLoad.push({ events: length, seconds: (performance.now() - loadStarted) / 1000 });
    const r = await auditInChild(dynamo, store.tables, fixture[0]!.talksId);
    const seconds = ((r.ms as number) - (r.gcMs as number)) / 1000;
    auditMemory.push({
      history: length,
      ok: r.ok as boolean,
      eventsPerSecond: (r.checkedEvents as number) / seconds,
      retainedGrowthBytes: r.retainedGrowth as number,
      heapUsedGrowthBytes: r.heapUsedGrowth as number,
      rssGrowthBytes: r.rssGrowth as number,
      maxRssBytes: r.maxRssBytes as number,
      retainedAtBytes: r.retainedAt as number[],
      pages: (r.calls as number) - 1,
      pageMs: r.pageMs as unknown as AuditMemory['pageMs'],
    });
  }
  const first = auditMemory[0]!;
  const last = auditMemory.at(-1)!;
  return {
    foldEvents: foldInput.length,
    foldEventsPerSecond: median(foldRates),
    foldEventsPerCpuSecond: median(foldCpuRates),
    verifyAndFoldEventsPerSecond,
    auditAppended,
    auditMemory,
    memoryRatio: last.retainedGrowthBytes / Math.max(first.retainedGrowthBytes, 1),
    fixtureLoad,
  };
}
