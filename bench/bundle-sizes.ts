import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { buildBundles, cdkBundlingOptions } from './bundles.bench.js';

/**
 * Bundle bytes per function against its own baseline (the same SDK clients, bench/sdk-baseline.ts)
 * and the issue's one baseline, built as bench/bundles.bench.ts (and the stack) build them, no
 * init timing: `npx tsx bench/bundle-sizes.ts [Id|all|baselines]` (an Id or `all` lists the
 * bundle's parts; `baselines` prints the generated baselines' sources).
 */
const { options, drift } = cdkBundlingOptions();
for (const d of drift) console.warn('drift:', d);
const out = mkdtempSync(join(tmpdir(), 'talks-bundle-sizes-'));
try {
  const built = await buildBundles(out, options);
  for (const d of built.drift) console.warn('baseline drift:', d);
  const bytes = (file: string) => statSync(file).size;
  const base = bytes(built.baseline.file);
  const detail = process.argv[2];
  console.log('bundle'.padEnd(20), 'bytes'.padStart(8), 'own base'.padStart(8), '× own', '× issue', ' own baseline');
  for (const f of built.functions) {
    const own = bytes(built.ownBaselines.find((b) => b.id === f.ownBaseline)!.file);
    const size = bytes(f.file);
    console.log(
      f.id.padEnd(20),
      String(size).padStart(8),
      String(own).padStart(8),
      (size / own).toFixed(3),
      (size / base).toFixed(3),
      ` ${f.ownBaseline}`,
    );
    if (detail === f.id || detail === 'all') listParts(f.metafile);
  }
  if (detail === 'baselines') for (const b of built.ownBaselines) console.log(`\n${b.id}: ${bytes(b.file)} B\n${b.source}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}

function listParts(metafile: Metafile) {
  const inputs = Object.entries(Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!.inputs);
  for (const [k, v] of inputs.filter(([k]) => !k.includes('node_modules')).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput))
    console.log('   ', String(v.bytesInOutput).padStart(7), k);
  const byPackage = new Map<string, number>();
  for (const [k, v] of inputs) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(k)?.[1];
    if (m) byPackage.set(m, (byPackage.get(m) ?? 0) + v.bytesInOutput);
  }
  for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log('   ', String(v).padStart(7), k);
}
