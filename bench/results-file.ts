import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * bench/RESULTS-feed.md: the figures of the scripts that need a running local service with
 * its stream consumer, live server or a browser (webhook-latency.ts, live-latency.ts,
 * feed-summary-cost.ts). `npm run bench` rewrites bench/RESULTS.md whole, so these scripts
 * keep their sections here, each between its markers, replaced on each run of its script;
 * RESULTS.md links this file.
 */
export const feedResultsFile = fileURLToPath(new URL('./RESULTS-feed.md', import.meta.url));

const heading = `# Feed and live results

Written by the scripts that need a running local service (see bench/RESULTS.md, "Feed and live latency"); each section
is replaced when its script runs again. Wall-clock figures on a shared machine.
`;

/** Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` (or appends it). */
export function writeFeedSection(name: string, section: string): void {
  const results = existsSync(feedResultsFile) ? readFileSync(feedResultsFile, 'utf8') : heading;
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  const block = `<!-- ${name}:start -->\n${section.replace(/^<!-- [a-z-]+:start -->\n?/, '').replace(/\n?<!-- [a-z-]+:end -->\s*$/, '')}\n<!-- ${name}:end -->`;
  writeFileSync(feedResultsFile, marked.test(results) ? results.replace(marked, block) : `${results.trimEnd()}\n\n${block}\n`);
}
