import { appendEvents } from '../functions/store/append-events.js';
import { AppendTurns } from '../functions/store/append-turns.js';
import { ContentionError } from '../functions/store/store-errors.js';
import type { BenchStore } from './bench-store.js';
import { inParallel, max, median, quantile, sum } from './stats.js';
import { buildHistory, parsedEventAt, talksIdFor } from './workload.js';

export type HotTalksMode = 'turns' | 'race';

export interface HotTalksRow {
  /** `turns`: the local server's in-process queue per talks; `race`: none, as Lambda containers run. */
  mode: HotTalksMode;
  writers: number;
  appends: number;
  /** Appends that landed per second (busy answers left out). */
  appendsPerSecond: number;
  /** appendsPerSecond over the same mode's one-writer figure: how one talks scales with writers. */
  vsOneWriter: number;
  retries: number;
  retriesPerAppend: number;
  maxAttempts: number;
  /** Appends answered 503 busy (ContentionError: attempts or retry budget ran out; nothing written). */
  busy: number;
  medianMs: number;
  p90Ms: number;
}

export interface HotTalksFigures {
  maxAppendAttempts: number;
  retryBudget: string;
  rows: HotTalksRow[];
  /** Per writer count: appends/s with turns over appends/s racing. */
  turnsOverRace: { writers: number; ratio: number }[];
}

async function measure(store: BenchStore, mode: HotTalksMode, writers: number, appends: number): Promise<Omit<HotTalksRow, 'vsOneWriter'>> {
  const ctx = mode === 'turns' ? { ...store.ctx, appendTurns: new AppendTurns() } : store.ctx;
  const talksId = talksIdFor(`hot-${mode}`);
  await buildHistory(ctx, talksId, 1);
  const ms: number[] = [];
  const attempts: number[] = [];
  let busy = 0;
  const started = performance.now();
  await inParallel(appends, writers, async (i) => {
    const began = performance.now();
    try {
      const result = await appendEvents(ctx, { talksId, events: [parsedEventAt(i + 1)], principal: `writer-${i % writers}` });
      attempts.push(result.attempts);
    } catch (error) {
      if (!(error instanceof ContentionError)) throw error;
      busy += 1;
    }
    ms.push(performance.now() - began);
  });
  const seconds = (performance.now() - started) / 1000;
  const retries = sum(attempts.map((a) => a - 1));
  return {
    mode,
    writers,
    appends,
    appendsPerSecond: (appends - busy) / seconds,
    retries,
    retriesPerAppend: retries / Math.max(1, attempts.length),
    maxAttempts: max(attempts),
    busy,
    medianMs: median(ms),
    p90Ms: quantile(ms, 0.9),
  };
}

/**
 * What one talks sustains: single-event appends from 1, 8 and 32 concurrent writers on the
 * same talks, through the store with the Lambda's settings, once racing (every writer reads,
 * decides and tries its transaction; the losers retry from the status item the cancellation
 * returned, as Lambda containers do) and once taking turns (the local server's queue). Each
 * run starts on a fresh talks so history length does not differ between rows.
 */
export async function hotTalksBench(store: BenchStore, options: { writers: readonly number[]; appends: number }): Promise<HotTalksFigures> {
  const rows: HotTalksRow[] = [];
  for (const mode of ['race', 'turns'] as const) {
    const measured: Omit<HotTalksRow, 'vsOneWriter'>[] = [];
    for (const writers of options.writers) measured.push(await measure(store, mode, writers, options.appends));
    const one = measured.find((m) => m.writers === Math.min(...options.writers))?.appendsPerSecond ?? Number.NaN;
    for (const m of measured) rows.push({ ...m, vsOneWriter: m.appendsPerSecond / one });
  }
  const rate = (mode: HotTalksMode, writers: number) => rows.find((r) => r.mode === mode && r.writers === writers)?.appendsPerSecond;
  const budgetMs = store.ctx.appendRetryBudgetMs;
  return {
    maxAppendAttempts: store.ctx.maxAppendAttempts,
    retryBudget: budgetMs === undefined ? "the store's default (5,000 ms)" : `${budgetMs} ms`,
    rows,
    turnsOverRace: options.writers.map((writers) => ({
      writers,
      ratio: (rate('turns', writers) ?? Number.NaN) / (rate('race', writers) ?? Number.NaN),
    })),
  };
}
