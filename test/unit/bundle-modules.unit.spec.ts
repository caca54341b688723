import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptionsOf } from '../../lib/function-bundling.js';
import { type FunctionSpec, functionSpecs, liveFunctionSpecs } from '../../lib/function-specs.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The inputs (ours and node_modules') of a function's bundle, built as the stack builds it:
 * every module it resolves, and the bytes each leaves in the output (0 when tree-shaken).
 */
async function inputsOf(entry: string): Promise<string[]> {
  return Object.keys((await bundleOf(entry)).resolved);
}

const builds = new Map<string, Promise<{ resolved: Record<string, unknown>; emitted: Map<string, number> }>>();
function bundleOf(entry: string) {
  const cached = builds.get(entry);
  if (cached !== undefined) return cached;
  const built = build({
    ...esbuildOptionsOf(),
    sourcemap: false,
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    write: false,
    outfile: 'index.mjs',
    metafile: true,
    logLevel: 'silent',
  }).then(({ metafile }) => ({
    resolved: metafile.inputs,
    emitted: new Map(
      Object.values(metafile.outputs).flatMap((output) =>
        Object.entries(output.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]),
      ),
    ),
  }));
  builds.set(entry, built);
  return built;
}

/** The inputs that leave code in the bundle. */
const emittedOf = async (entry: string): Promise<string[]> =>
  [...(await bundleOf(entry)).emitted].filter(([, bytes]) => bytes > 0).map(([input]) => input);

/** The source modules (ours, not node_modules) a function's bundle is made of. */
const modulesOf = async (entry: string): Promise<string[]> => (await inputsOf(entry)).filter((input) => input.startsWith('functions/'));

/** The npm packages a function's bundle carries. */
const packagesOf = async (entry: string): Promise<Set<string>> =>
  new Set((await emittedOf(entry)).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));

const entryOf = (id: string) => functionSpecs.find((f) => f.id === id)!.entry;

// esbuild keeps zod schema construction in every bundle that imports a module of schemas, so
// the bundle-size budget (bench/budget.ts) depends on which function imports which module.
const schemaModules = ['functions/domain/talks-status-schema.ts', 'functions/domain/present-status-schema.ts'];
const appendOnly = ['functions/domain/append-rules.ts', 'functions/domain/decide-append.ts', 'functions/store/append-events.ts'];

describe('what each function bundle is made of', () => {
  it.each(['AppendEvents', 'ListTalks', 'GetStatus', 'GetHistory', 'AuditTalks', 'RebuildStatus'])(
    '%s builds none of the status response schemas (only the OpenAPI side does)',
    async (id) => {
      const modules = await modulesOf(entryOf(id));
      expect(modules.length).toBeGreaterThan(5);
      for (const m of schemaModules) expect(modules).not.toContain(m);
    },
    30_000,
  );

  it.each(['ListTalks', 'GetStatus', 'GetHistory'])(
    '%s, a read-only function, carries no append-only code',
    async (id) => {
      const modules = await modulesOf(entryOf(id));
      for (const m of appendOnly) expect(modules).not.toContain(m);
    },
    30_000,
  );

  it('the OpenAPI document is built from the status response schemas', async () => {
    const modules = await modulesOf(entryOf('GetOpenApi'));
    for (const m of schemaModules) expect(modules).toContain(m);
  }, 30_000);

  // The KMS client is 28 KB of every bundle that imports it; the stack gives the key only to these.
  it.each(functionSpecs.map((spec: FunctionSpec) => [spec.id, spec.checkpointKey !== undefined, spec.entry] as const))(
    '%s bundles the KMS client exactly when the stack gives it the checkpoint key (%s)',
    async (_id, usesKey, entry) => {
      expect((await packagesOf(entry)).has('@aws-sdk/client-kms')).toBe(usesKey);
    },
    30_000,
  );

  it("the feed's consumer sends live change messages without building the live protocol's schemas", async () => {
    const inputs = await inputsOf(entryOf('FeedConsumer'));
    expect(inputs).toContain('functions/live/change-message.ts');
    expect(inputs).not.toContain('functions/live/live-protocol.ts');
  }, 30_000);

  // Classic zod's namespace carries every locale (450 KB): the live protocol imported it, and
  // with it the feed's consumer and both live functions (lib/talks-live.ts) were 1.6x-2.4x the budget.
  const liveEntries = Object.values(liveFunctionSpecs).map((spec) => [spec.id, spec.entry] as const);
  it.each([...functionSpecs.map((spec: FunctionSpec) => [spec.id, spec.entry] as const), ...liveEntries])(
    '%s bundles no zod locale but English, and classic zod only to write the OpenAPI document',
    async (id, entry) => {
      const inputs = await emittedOf(entry);
      expect(inputs.filter((input) => /zod\/v4\/locales\//.test(input) && !input.endsWith('locales/en.js'))).toEqual([]);
      if (id !== 'GetOpenApi') expect(inputs.filter((input) => input.includes('zod/v4/classic/'))).toEqual([]);
    },
    30_000,
  );
});
