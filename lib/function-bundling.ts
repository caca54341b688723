import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

// esbuild's ESM output has no `require`; some CommonJS dependencies call it at runtime.
export const esmRequireShim = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * The one statement of how every function is bundled: TalksFunction gives these to
 * NodejsFunction, and the bench and the bundle tests build with `esbuildOptionsOf` them, so
 * what is measured is what the stack deploys.
 */
export const functionBundling = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  // The lockfile's SDK, tree-shaken into the bundle, rather than whatever the runtime ships.
  bundleAwsSDK: true,
  minify: true,
  sourceMap: true,
  // Line mapping is what stack traces need; embedded sources only bloat the bundle.
  sourcesContent: false,
  banner: esmRequireShim,
  // Warnings and errors only: bundle sizes are measured by `npm run bench`.
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/** The keys `esbuildOptionsOf` translates; any other key given to NodejsFunction would not be measured. */
const translated = new Set([
  'format',
  'target',
  'mainFields',
  'bundleAwsSDK',
  'minify',
  'sourceMap',
  'sourcesContent',
  'banner',
  'logLevel',
]);

/** Bundling options `esbuildOptionsOf` does not mirror (the bench reports them as drift). */
export const untranslatedBundlingOptions = (options: object = functionBundling): string[] =>
  Object.keys(options).filter((key) => !translated.has(key));

/**
 * The esbuild options CDK's NodejsFunction derives from `functionBundling` (its
 * buildEsbuildArgs: --bundle --platform=node, --sourcemap, --sources-content=false, no
 * --external with bundleAwsSDK), for esbuild's JS API with an entry and outfile of one's own.
 */
export function esbuildOptionsOf(bundling: typeof functionBundling = functionBundling): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: bundling.format,
    target: bundling.target,
    mainFields: [...bundling.mainFields],
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    sourcesContent: bundling.sourcesContent,
    banner: { js: bundling.banner },
    // bundleAwsSDK: nothing external (otherwise CDK would mark '@aws-sdk/*').
    ...(bundling.bundleAwsSDK ? {} : { external: ['@aws-sdk/*'] }),
    logLevel: bundling.logLevel,
  };
}
