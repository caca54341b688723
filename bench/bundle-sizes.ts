import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { functionSpecs, liveFunctionSpecs } from '../lib/function-specs.js';
import { cdkBundlingOptions } from './bundles.bench.js';

/** Bundle bytes per function vs the baseline, built with the options bench/bundles.bench.ts (and the stack) use (no init timing): `npx tsx bench/bundle-sizes.ts [Id|all]`. */
const root = fileURLToPath(new URL('..', import.meta.url));
const { options: opts, drift } = cdkBundlingOptions();
for (const d of drift) console.warn('drift:', d);
const out = mkdtempSync(join(tmpdir(), 'bm-'));
const entries = [
  { id: 'Baseline', entry: 'bench/baseline-lambda.ts' },
  ...[...functionSpecs, ...Object.values(liveFunctionSpecs)].map((r) => ({ id: r.id, entry: r.entry })),
];
let base = 0;
const detail = process.argv[2];
for (const { id, entry } of entries) {
  const file = join(out, id, 'index.mjs');
  const r = await build({ ...opts, entryPoints: [resolve(root, entry)], outfile: file, metafile: true } as Parameters<typeof build>[0] & {
    metafile: true;
  });
  const bytes = statSync(file).size;
  if (id === 'Baseline') base = bytes;
  console.log(id.padEnd(16), String(bytes).padStart(8), (bytes / base).toFixed(3));
  if (detail === id || detail === 'all') {
    const ins = Object.entries(Object.entries(r.metafile.outputs).find(([k]) => k.endsWith('.mjs'))![1].inputs)
      .filter(([k]) => !k.includes('node_modules'))
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
    for (const [k, v] of ins) console.log('   ', String(v.bytesInOutput).padStart(7), k);
    const pk = new Map<string, number>();
    for (const [k, v] of Object.entries(Object.entries(r.metafile.outputs).find(([k]) => k.endsWith('.mjs'))![1].inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(k)?.[1];
      if (m) pk.set(m, (pk.get(m) ?? 0) + v.bytesInOutput);
    }
    for (const [k, v] of [...pk].sort((a, b) => b[1] - a[1])) console.log('   ', String(v).padStart(7), k);
  }
}
