import { appendEvents } from '../functions/store/append-events.js';
import { ContentionError } from '../functions/store/store-errors.js';
import type { BenchStore } from './bench-store.js';
import { inParallel, max, median, quantile, sum } from './stats.js';
import { buildHistory, parsedEventAt, talksIdFor } from './workload.js';

export interface ConcurrencyRow {
  target: 'many talks' | 'one hot talks';
  writers: number;
  appends: number;
  appendsPerSecond: number;
  medianMs: number;
  p90Ms: number;
  /** Attempts beyond the first (AppendResult.attempts - 1) of the appends that succeeded. */
  retries: number;
  retriesPerAppend: number;
  maxAttempts: number;
  /** Appends that gave up: ContentionError (a 503) once the retry budget or attempts ran out. */
  gaveUp: number;
}

export interface ConcurrencyFigures {
  talks: number;
  maxAppendAttempts: number;
  retryBudget: string;
  rows: ConcurrencyRow[];
}

async function measure(
  store: BenchStore,
  target: ConcurrencyRow['target'],
  writers: number,
  appends: number,
  talksFor: (i: number) => string,
  nextIndex: (talksId: string) => number,
): Promise<ConcurrencyRow> {
  const ms: number[] = [];
  const attempts: number[] = [];
  let gaveUp = 0;
  const started = performance.now();
  await inParallel(appends, writers, async (i) => {
    const talksId = talksFor(i);
    const began = performance.now();
    try {
      const result = await appendEvents(store.ctx, {
        talksId,
        events: [parsedEventAt(nextIndex(talksId))],
        principal: `writer-${i % writers}`,
      });
      attempts.push(result.attempts);
    } catch (error) {
      if (!(error instanceof ContentionError)) throw error;
      gaveUp += 1;
    }
    ms.push(performance.now() - began);
  });
  const seconds = (performance.now() - started) / 1000;
  const retries = sum(attempts.map((a) => a - 1));
  return {
    target,
    writers,
    appends,
    appendsPerSecond: (appends - gaveUp) / seconds,
    medianMs: median(ms),
    p90Ms: quantile(ms, 0.9),
    retries,
    retriesPerAppend: retries / Math.max(1, attempts.length),
    maxAttempts: max(attempts),
    gaveUp,
  };
}

/**
 * Throughput of single-event appends with 1..32 writers, spread over many talks (writers
 * rarely meet) and all on one talks (every writer races for the next version; the losers
 * retry from the status item the cancellation returned). DynamoDB Local evaluates the
 * conditions but never raises TransactionConflict, so real DynamoDB may retry more. The
 * store context is the Lambda's: 40 attempts at most, within its default retry budget.
 */
export async function concurrencyBench(
  store: BenchStore,
  options: { writers: readonly number[]; appends: number; hotAppends: number; talks: number },
): Promise<ConcurrencyFigures> {
  const talks = Array.from({ length: options.talks }, () => talksIdFor('many'));
  for (const talksId of talks) await buildHistory(store.ctx, talksId, 1);
  // Event content only: versions come from the store; start past the opening.
  const counters = new Map<string, number>();
  const nextIndex = (talksId: string) => {
    const n = (counters.get(talksId) ?? 0) + 1;
    counters.set(talksId, n);
    return n;
  };
  const rows: ConcurrencyRow[] = [];
  for (const writers of options.writers) {
    rows.push(await measure(store, 'many talks', writers, options.appends, (i) => talks[i % talks.length] as string, nextIndex));
  }
  for (const writers of options.writers) {
    const hot = talksIdFor('hot');
    await buildHistory(store.ctx, hot, 1);
    rows.push(await measure(store, 'one hot talks', writers, options.hotAppends, () => hot, nextIndex));
  }
  const budgetMs = store.ctx.appendRetryBudgetMs;
  return {
    talks: options.talks,
    maxAppendAttempts: store.ctx.maxAppendAttempts,
    retryBudget: budgetMs === undefined ? "the store's default" : `${budgetMs} ms`,
    rows,
  };
}
