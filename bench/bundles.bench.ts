import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { esbuildOptionsOf, untranslatedBundlingOptions } from '../lib/function-bundling.js';
import { functionSpecs, liveFunctionSpecs } from '../lib/function-specs.js';
import { median } from './stats.js';

export interface BundleRow {
  id: string;
  entry: string;
  bytes: number;
  mapBytes: number;
  /** Module initialisation (import of the bundle) in a fresh Node process, median. */
  initMs: number;
  /** The same with --enable-source-maps, as the functions run (NODE_OPTIONS). */
  initMsSourceMaps: number;
  sizeRatio: number;
  initRatio: number;
  initRatioSourceMaps: number;
  /** CPU time (user + system) of the same imports, median: less disturbed by other jobs. */
  initCpuMs: number;
  initCpuMsSourceMaps: number;
  initCpuRatio: number;
  initCpuRatioSourceMaps: number;
  /** Biggest contributors to the bundle, by package. */
  top: { name: string; bytes: number }[];
}

export interface BundleFigures {
  method: string;
  options: Record<string, unknown>;
  optionDrift: string[];
  runs: number;
  baseline: BundleRow;
  rows: BundleRow[];
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The options TalksFunction (lib/talks-function.ts) gives NodejsFunction, as the esbuild
 * build CDK runs from them (lib/function-bundling.ts, the one source of both). Drift is
 * what the stack would set that the translation does not mirror.
 */
export function cdkBundlingOptions(): { options: BuildOptions; drift: string[] } {
  const source = readFileSync(join(repoRoot, 'lib/talks-function.ts'), 'utf8');
  const drift = untranslatedBundlingOptions().map((key) => `lib/function-bundling.ts sets \`${key}\`, which the benchmark does not mirror`);
  if (!source.includes('...functionBundling')) drift.push('lib/talks-function.ts no longer bundles with functionBundling');
  if (/externalModules|nodeModules|esbuildArgs|define:|keepNames|loader:|inject:|footer:|tsconfig:/.test(source))
    drift.push('lib/talks-function.ts sets bundling options this benchmark does not mirror');
  return { drift, options: { ...esbuildOptionsOf(), absWorkingDir: repoRoot } };
}

const packageOf = (input: string) =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? (input.startsWith('functions/') ? 'functions/ (ours)' : input);

function topPackages(metafile: Metafile, top = 5): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      totals.set(packageOf(input), (totals.get(packageOf(input)) ?? 0) + bytesInOutput);
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

const initScript =
  "const c0=process.cpuUsage();const t0=performance.now();const m=await import(process.env.BENCH_BUNDLE);const ms=performance.now()-t0;const c=process.cpuUsage(c0);if(typeof m.handler!=='function')process.exit(3);process.stdout.write(JSON.stringify({ms,cpuMs:(c.user+c.system)/1000}));";

interface InitSample {
  ms: number;
  cpuMs: number;
}

function initOnce(bundle: string, sourceMaps: boolean): Promise<InitSample> {
  const env = {
    PATH: process.env.PATH ?? '',
    EVENTS_TABLE: 'bench-events',
    STATE_TABLE: 'bench-state',
    // The feed's functions read these at init (lib/talks-feed.ts sets them on AWS).
    FEED_TABLE: 'bench-feed',
    EVENT_BUS_NAME: 'bench-bus',
    WEBHOOK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/bench.fifo',
    WEBHOOK_DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/bench-dlq.fifo',
    // The publisher's bucket (read at init; nothing is written while measuring init).
    CHECKPOINT_BUCKET: 'bench-checkpoints',
    // The live functions' (lib/talks-live.ts sets them on AWS); the issuer's keys are fetched on first use, not at init.
    LIVE_CONNECTIONS_TABLE: 'bench-live-connections',
    LIVE_CALLBACK_URL: 'https://bench.execute-api.eu-west-1.amazonaws.com/live',
    JWT_ISSUER: 'https://bench-issuer.example',
    JWT_AUDIENCE: 'bench',
    AWS_REGION: 'eu-west-1',
    READS_PUBLIC: 'true',
    SNAPSHOT_INTERVAL: '50',
    BENCH_BUNDLE: pathToFileURL(bundle).href,
  };
  const args = [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', initScript];
  return new Promise((resolveMs, reject) =>
    execFile(process.execPath, args, { env }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`init of ${bundle} failed: ${stderr.slice(-1000)}`));
      else resolveMs(JSON.parse(stdout) as InitSample);
    }),
  );
}

/** Bundles every function (and the baseline), then times module init in fresh processes. */
export async function bundlesBench(options: { runs: number }): Promise<BundleFigures> {
  const { options: esbuildOptions, drift } = cdkBundlingOptions();
  const outDir = mkdtempSync(join(tmpdir(), 'talks-bench-bundles-'));
  try {
    const entries: { id: string; entry: string; files?: string }[] = [
      { id: 'Baseline', entry: 'bench/baseline-lambda.ts' },
      ...[...functionSpecs, ...Object.values(liveFunctionSpecs)].map((r) => ({
        id: r.id,
        entry: r.entry,
        ...('files' in r ? { files: r.files } : {}),
      })),
    ];
    const built: { id: string; entry: string; file: string; metafile: Metafile }[] = [];
    for (const { id, entry, files } of entries) {
      const file = join(outDir, id, 'index.mjs');
      const result = await build({ ...esbuildOptions, entryPoints: [resolve(repoRoot, entry)], outfile: file, metafile: true });
      // As the stack's afterBundling hook does: files read at run time sit beside the bundle.
      if (files !== undefined) cpSync(resolve(repoRoot, files), join(outDir, id, files), { recursive: true });
      built.push({ id, entry, file, metafile: result.metafile });
    }
    const samples = new Map(built.map((b) => [b.id, { plain: [] as InitSample[], maps: [] as InitSample[] }]));
    for (let run = 0; run < options.runs; run += 1) {
      const rotated = [...built.slice(run % built.length), ...built.slice(0, run % built.length)];
      for (const b of rotated) {
        samples.get(b.id)!.plain.push(await initOnce(b.file, false));
        samples.get(b.id)!.maps.push(await initOnce(b.file, true));
      }
    }
    type Ratios = 'sizeRatio' | 'initRatio' | 'initRatioSourceMaps' | 'initCpuRatio' | 'initCpuRatioSourceMaps';
    const wall = (list: InitSample[]) => median(list.map((x) => x.ms));
    const cpu = (list: InitSample[]) => median(list.map((x) => x.cpuMs));
    const rowOf = (b: (typeof built)[number]): Omit<BundleRow, Ratios> => ({
      id: b.id,
      entry: b.entry,
      bytes: statSync(b.file).size,
      mapBytes: statSync(`${b.file}.map`).size,
      initMs: wall(samples.get(b.id)!.plain),
      initMsSourceMaps: wall(samples.get(b.id)!.maps),
      initCpuMs: cpu(samples.get(b.id)!.plain),
      initCpuMsSourceMaps: cpu(samples.get(b.id)!.maps),
      top: topPackages(b.metafile),
    });
    const base = rowOf(built[0]!);
    const withRatios = (r: ReturnType<typeof rowOf>): BundleRow => ({
      ...r,
      sizeRatio: r.bytes / base.bytes,
      initRatio: r.initMs / base.initMs,
      initRatioSourceMaps: r.initMsSourceMaps / base.initMsSourceMaps,
      initCpuRatio: r.initCpuMs / base.initCpuMs,
      initCpuRatioSourceMaps: r.initCpuMsSourceMaps / base.initCpuMsSourceMaps,
    });
    const { absWorkingDir: _cwd, ...shown } = esbuildOptions as Record<string, unknown>;
    return {
      method:
        'esbuild JS API called directly with the options CDK derives from lib/function-bundling.ts, which lib/talks-function.ts gives NodejsFunction (same esbuild as CDK would run), one build per function entry of lib/function-specs.ts',
      options: shown,
      optionDrift: drift,
      runs: options.runs,
      baseline: withRatios(base),
      rows: built.slice(1).map((b) => withRatios(rowOf(b))),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
