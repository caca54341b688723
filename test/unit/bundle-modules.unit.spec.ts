import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptionsOf } from '../../lib/function-bundling.js';
import { type FunctionSpec, functionSpecs } from '../../lib/function-specs.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The inputs (ours and node_modules') of a function's bundle, built as the stack builds it. */
async function inputsOf(entry: string): Promise<string[]> {
  const result = await build({
    ...esbuildOptionsOf(),
    sourcemap: false,
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    write: false,
    outfile: 'index.mjs',
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

/** The source modules (ours, not node_modules) a function's bundle is made of. */
const modulesOf = async (entry: string): Promise<string[]> => (await inputsOf(entry)).filter((input) => input.startsWith('functions/'));

/** The npm packages a function's bundle carries. */
const packagesOf = async (entry: string): Promise<Set<string>> =>
  new Set((await inputsOf(entry)).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));

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

  it("the feed's consumer sends live change messages without building the live protocol's zod schemas", async () => {
    const inputs = await inputsOf(entryOf('FeedConsumer'));
    expect(inputs).toContain('functions/live/change-message.ts');
    expect(inputs).not.toContain('functions/live/live-protocol.ts');
    // Classic zod (all its locales, 450 KB) came with that module; the rest of ours use zod/mini.
    expect(inputs.filter((input) => input.includes('zod/v4/classic/'))).toEqual([]);
  }, 30_000);
});
