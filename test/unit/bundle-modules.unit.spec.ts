import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functionSpecs } from '../../lib/function-specs.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The source modules (ours, not node_modules) a function's bundle is made of. */
async function modulesOf(entry: string): Promise<string[]> {
  const result = await build({
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    write: false,
    outfile: 'index.mjs',
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((input) => input.startsWith('functions/'));
}

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
});
