import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBenchmarks, type Scale } from './harness.js';
import { renderResults } from './report.js';

/**
 * `npm run bench`: the full run; prints the figures and writes bench/RESULTS.md.
 * `npm run bench -- --quick` (or `--smoke`): smaller histories for development; prints
 * only, so RESULTS.md always holds a full run.
 */
const scale: Scale = process.argv.includes('--quick') ? 'quick' : process.argv.includes('--smoke') ? 'smoke' : 'full';
const results = await runBenchmarks({ scale, log: (message) => process.stderr.write(`[bench] ${message}\n`) });
const markdown = renderResults(results);
process.stdout.write(`${markdown}\n`);
if (scale === 'full') {
  const file = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  writeFileSync(file, markdown);
  process.stdout.write(`Written to ${file}\n`);
} else {
  process.stdout.write(`(${scale} run: bench/RESULTS.md left as it was)\n`);
}
