import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative module a file names in an import, an export ... from, or a dynamic import, as a path from the repo root. */
function localImportsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] as string);
  return specifiers.map((s) => relative(repoRoot, resolve(dirname(file), s)));
}

describe('layering of the source tree', () => {
  it('production code under functions/ imports nothing from bin/ (the local server and the CLI build on it, not the other way round)', () => {
    const files = sourcesUnder(join(repoRoot, 'functions'));
    expect(files.length).toBeGreaterThan(50);
    const offending = files.flatMap((file) =>
      localImportsOf(file)
        .filter((target) => target === 'bin' || target.startsWith('bin/'))
        .map((target) => `${relative(repoRoot, file)} -> ${target}`),
    );
    expect(offending).toEqual([]);
  });
});
