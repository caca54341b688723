import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { esbuildOptionsOf, untranslatedBundlingOptions } from '../lib/function-bundling.js';
import { functionSpecs, liveFunctionSpecs } from '../lib/function-specs.js';
import { type OwnBaseline, ownBaselineOf, type SdkClientUse, sdkClientsOf } from './sdk-baseline.js';
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
  /** The AWS SDK client packages the bundle holds (from its metafile). */
  sdkPackages: string[];
  /**
   * The same figures against the function's own baseline (bench/sdk-baseline.ts): the same
   * SDK clients, one call through each. The budget judges these; the ratios above are to the
   * issue's one baseline (the DynamoDB document client and one GetItem).
   */
  own: { baseline: string } & Record<Ratios, number>;
}

type Ratios = 'sizeRatio' | 'initRatio' | 'initRatioSourceMaps' | 'initCpuRatio' | 'initCpuRatioSourceMaps';

/** A per-function baseline as measured, and the functions held to it. */
export type OwnBaselineRow = Omit<BundleRow, 'own'> & Pick<OwnBaseline, 'packages' | 'calls'> & { usedBy: string[] };

export interface BundleFigures {
  method: string;
  options: Record<string, unknown>;
  optionDrift: string[];
  runs: number;
  /** The issue's baseline (bench/baseline-lambda.ts); `own` of it is itself. */
  baseline: BundleRow;
  /** Every distinct per-function baseline (functions with the same clients and calls share one). */
  ownBaselines: OwnBaselineRow[];
  /** A baseline whose bundle does not hold exactly its function's client packages (must be empty). */
  baselineDrift: string[];
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

/** One bundle built with the stack's options. */
export interface BuiltBundle {
  id: string;
  entry: string;
  file: string;
  metafile: Metafile;
}

/** Every function's bundle, the issue's baseline and each function's own baseline, built (not timed). */
export interface BuiltBundles {
  baseline: BuiltBundle;
  functions: (BuiltBundle & { sdk: SdkClientUse[]; ownBaseline: string })[];
  ownBaselines: (BuiltBundle & OwnBaseline & { sdk: SdkClientUse[] })[];
  /** Where a baseline's bundle does not hold exactly the client packages it was generated for. */
  drift: string[];
}

/** The function entries the bench measures: the stack's (lib/function-specs.ts) and the live API's. */
export const measuredFunctions = (): { id: string; entry: string; files?: string }[] =>
  [...functionSpecs, ...Object.values(liveFunctionSpecs)].map((r) => ({
    id: r.id,
    entry: r.entry,
    ...('files' in r ? { files: r.files } : {}),
  }));

const packagesIn = (sdk: readonly SdkClientUse[]) => sdk.map((u) => u.pkg).sort();

/** Builds every bundle into `outDir` (one directory per bundle, `index.mjs` and its map). */
export async function buildBundles(outDir: string, options: BuildOptions = cdkBundlingOptions().options): Promise<BuiltBundles> {
  const buildOne = async (id: string, entry: string, files?: string): Promise<BuiltBundle> => {
    const file = join(outDir, id, 'index.mjs');
    const result = await build({ ...options, entryPoints: [resolve(repoRoot, entry)], outfile: file, metafile: true });
    // As the stack's afterBundling hook does: files read at run time sit beside the bundle.
    if (files !== undefined) cpSync(resolve(repoRoot, files), join(outDir, id, files), { recursive: true });
    return { id, entry, file, metafile: result.metafile };
  };
  const baseline = await buildOne('Baseline', 'bench/baseline-lambda.ts');
  const fallback = sdkClientsOf(baseline.metafile);
  const functions: BuiltBundles['functions'] = [];
  const own = new Map<string, OwnBaseline>();
  for (const { id, entry, files } of measuredFunctions()) {
    const built = await buildOne(id, entry, files);
    const sdk = sdkClientsOf(built.metafile);
    const generated = ownBaselineOf(sdk, fallback);
    own.set(generated.id, generated);
    functions.push({ ...built, sdk, ownBaseline: generated.id });
  }
  const ownBaselines: BuiltBundles['ownBaselines'] = [];
  const drift: string[] = [];
  for (const [index, generated] of [...own.values()].entries()) {
    const file = join(outDir, `own-baseline-${index}`, 'index.mjs');
    const result = await build({
      ...options,
      stdin: { contents: generated.source, resolveDir: repoRoot, sourcefile: `own-baseline-${index}.mjs`, loader: 'js' },
      outfile: file,
      metafile: true,
    });
    const sdk = sdkClientsOf(result.metafile);
    if (packagesIn(sdk).join() !== generated.packages.join())
      drift.push(`${generated.id} holds ${packagesIn(sdk).join(', ')}, not ${generated.packages.join(', ')}`);
    ownBaselines.push({ ...generated, entry: '(generated)', file, metafile: result.metafile, sdk });
  }
  for (const f of functions) {
    const baselineOf = ownBaselines.find((b) => b.id === f.ownBaseline)!;
    const expected = f.sdk.length > 0 ? packagesIn(f.sdk) : packagesIn(fallback);
    if (packagesIn(baselineOf.sdk).join() !== expected.join())
      drift.push(`${f.id}'s baseline holds ${packagesIn(baselineOf.sdk).join(', ')}, its bundle ${expected.join(', ')}`);
  }
  return { baseline, functions, ownBaselines, drift };
}

/** Bundles every function, the issue's baseline and each function's own, then times module init in fresh processes. */
export async function bundlesBench(options: { runs: number }): Promise<BundleFigures> {
  const { options: esbuildOptions, drift } = cdkBundlingOptions();
  const outDir = mkdtempSync(join(tmpdir(), 'talks-bench-bundles-'));
  try {
    const built = await buildBundles(outDir, esbuildOptions);
    const timed: BuiltBundle[] = [built.baseline, ...built.ownBaselines, ...built.functions];
    const samples = new Map(timed.map((b) => [b.id, { plain: [] as InitSample[], maps: [] as InitSample[] }]));
    for (let run = 0; run < options.runs; run += 1) {
      const rotated = [...timed.slice(run % timed.length), ...timed.slice(0, run % timed.length)];
      for (const b of rotated) {
        samples.get(b.id)!.plain.push(await initOnce(b.file, false));
        samples.get(b.id)!.maps.push(await initOnce(b.file, true));
      }
    }
    const wall = (list: InitSample[]) => median(list.map((x) => x.ms));
    const cpu = (list: InitSample[]) => median(list.map((x) => x.cpuMs));
    type Measured = Omit<BundleRow, Ratios | 'own'>;
    const rowOf = (b: BuiltBundle): Measured => ({
      id: b.id,
      entry: b.entry,
      bytes: statSync(b.file).size,
      mapBytes: statSync(`${b.file}.map`).size,
      initMs: wall(samples.get(b.id)!.plain),
      initMsSourceMaps: wall(samples.get(b.id)!.maps),
      initCpuMs: cpu(samples.get(b.id)!.plain),
      initCpuMsSourceMaps: cpu(samples.get(b.id)!.maps),
      top: topPackages(b.metafile),
      sdkPackages: packagesIn(sdkClientsOf(b.metafile)),
    });
    const ratiosTo = (r: Measured, base: Measured): Record<Ratios, number> => ({
      sizeRatio: r.bytes / base.bytes,
      initRatio: r.initMs / base.initMs,
      initRatioSourceMaps: r.initMsSourceMaps / base.initMsSourceMaps,
      initCpuRatio: r.initCpuMs / base.initCpuMs,
      initCpuRatioSourceMaps: r.initCpuMsSourceMaps / base.initCpuMsSourceMaps,
    });
    const base = rowOf(built.baseline);
    const owns = new Map(built.ownBaselines.map((b) => [b.id, rowOf(b)]));
    const { absWorkingDir: _cwd, ...shown } = esbuildOptions as Record<string, unknown>;
    return {
      method:
        'esbuild JS API called directly with the options CDK derives from lib/function-bundling.ts, which lib/talks-function.ts gives NodejsFunction (same esbuild as CDK would run), one build per function entry of lib/function-specs.ts; ' +
        "each function's own baseline is generated by bench/sdk-baseline.ts from the client packages esbuild's metafile finds in that function's bundle and built with the same options",
      options: shown,
      optionDrift: drift,
      runs: options.runs,
      baseline: { ...base, ...ratiosTo(base, base), own: { baseline: base.id, ...ratiosTo(base, base) } },
      ownBaselines: built.ownBaselines.map((b) => ({
        ...owns.get(b.id)!,
        ...ratiosTo(owns.get(b.id)!, base),
        packages: b.packages,
        calls: b.calls,
        usedBy: built.functions.filter((f) => f.ownBaseline === b.id).map((f) => f.id),
      })),
      baselineDrift: built.drift,
      rows: built.functions.map((f) => {
        const row = rowOf(f);
        return { ...row, ...ratiosTo(row, base), own: { baseline: f.ownBaseline, ...ratiosTo(row, owns.get(f.ownBaseline)!) } };
      }),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
