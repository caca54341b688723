import type { HotTalksFigures } from './hot-talks.js';

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** The hot-talks section of bench/RESULTS.md. */
export function hotTalksSection(h: HotTalksFigures): string {
  const header = [
    'mode',
    'writers',
    'appends',
    'appends/s',
    'vs 1 writer',
    'retries',
    'retries per append',
    'max attempts',
    '503 busy',
    'median ms',
    'p90 ms',
  ];
  const rows = h.rows.map((r) => [
    r.mode === 'turns' ? 'turns (local server)' : 'race (Lambda)',
    r.writers,
    r.appends,
    f(r.appendsPerSecond, 1),
    `${f(r.vsOneWriter)}×`,
    r.retries,
    f(r.retriesPerAppend),
    r.maxAttempts,
    r.busy,
    f(r.medianMs),
    f(r.p90Ms),
  ]);
  return `## 5b. One hot talks
Single-event appends, every writer on the same talks, through the store with the Lambda's settings (at most ${h.maxAppendAttempts} attempts within ${h.retryBudget}). "race" is the Lambda path: each writer reads, decides and tries its transaction, and a loser retries (with jittered backoff) from the status item its cancellation returned. "turns" is the local server: appends to one talks wait their turn in the process, so none races. DynamoDB Local never raises TransactionConflict or throttles: on AWS, racing writers also meet those, and the SDK and the store retry them the same way. "503 busy" would be answered with \`Retry-After\`; nothing is written for it.

| ${header.join(' | ')} |
| ${header.map(() => '---').join(' | ')} |
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}

Turns over race, appends/s: ${h.turnsOverRace.map((t) => `${t.writers} writer${t.writers === 1 ? '' : 's'} ${f(t.ratio)}×`).join(', ')}.`;
}
