/**
 * Runs one audit in a fresh process started with --expose-gc and reports its memory: the
 * heap is sampled after every DynamoDB call (each page of the log), before and after a
 * forced collection, so "retained" is what the audit really holds, not garbage.
 * Input: BENCH_AUDIT={"dynamo":{"endpoint","credentials"},"tables","talksId"}; output: one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { checkpointKeys } from '../functions/signing/checkpoint-keys.js';
import { freshKeySigner } from '../functions/signing/key-signer.js';
import { auditTalks } from '../functions/store/audit-log.js';
import { type BenchDynamo, localClient } from './bench-store.js';

const input = JSON.parse(process.env.BENCH_AUDIT ?? '{}') as {
  dynamo: BenchDynamo;
  tables: { events: string; state: string };
  talksId: string;
};
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const doc = DynamoDBDocumentClient.from(localClient(input.dynamo), { marshallOptions: { removeUndefinedValues: true } });
let gcMs = 0;
let calls = 0;
const peak = { heapUsed: 0, retained: 0, rss: 0 };
const series: number[] = [];
function sample(): void {
  const natural = process.memoryUsage();
  peak.heapUsed = Math.max(peak.heapUsed, natural.heapUsed);
  peak.rss = Math.max(peak.rss, natural.rss);
  const started = performance.now();
  gc!();
  gcMs += performance.now() - started;
  const retained = process.memoryUsage().heapUsed;
  peak.retained = Math.max(peak.retained, retained);
  series.push(retained);
}
const sampling = Object.create(doc) as DynamoDBDocumentClient;
const callMs: number[] = [];
sampling.send = (async (...args: unknown[]) => {
  const began = performance.now();
  const output = await (doc.send as (...a: unknown[]) => Promise<unknown>)(...args);
  callMs.push(performance.now() - began);
  calls += 1;
  sample();
  return output;
}) as DynamoDBDocumentClient['send'];

/** Median page latency in the first and last quarter: DynamoDB Local slows down deep in a partition. */
function pageLatency(pages: number[]): { firstQuarter: number; lastQuarter: number } {
  const mid = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN;
  const quarter = Math.max(1, Math.floor(pages.length / 4));
  return { firstQuarter: mid(pages.slice(0, quarter)), lastQuarter: mid(pages.slice(-quarter)) };
}

const ctx = {
  doc: sampling,
  tables: input.tables,
  snapshotInterval: 50,
  maxAppendAttempts: 40,
  now: () => new Date(),
  newId: randomUUID,
  checkpoints: checkpointKeys(freshKeySigner),
};
// Warm the client and the code paths on nothing, then take the baseline.
await auditTalks(ctx, `${input.talksId}-absent`).catch(() => undefined);
gc();
const baseline = process.memoryUsage();
gcMs = 0;
calls = 0;
series.length = 0;
callMs.length = 0;
Object.assign(peak, { heapUsed: baseline.heapUsed, retained: baseline.heapUsed, rss: baseline.rss });
const started = performance.now();
const report = await auditTalks(ctx, input.talksId);
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    // The fixtures are put raw, as logs stored before the verifiable log were: nothing of them is
    // signed, so 'not-covered' is expected; every other check (hashes, links, status) must hold.
    ok: report.problems.every((p) => p.kind === 'not-covered'),
    covered: report.problems.length === 0,
    checkedEvents: report.checkedEvents,
    calls,
    ms,
    gcMs,
    baselineHeap: baseline.heapUsed,
    retainedGrowth: peak.retained - baseline.heapUsed,
    heapUsedGrowth: peak.heapUsed - baseline.heapUsed,
    rssGrowth: peak.rss - baseline.rss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    pageMs: pageLatency(callMs.slice(1)),
    // Retained heap above the baseline a quarter, half, three quarters and all the way through.
    retainedAt: [0.25, 0.5, 0.75, 1].map(
      (q) => (series[Math.max(0, Math.ceil(series.length * q) - 1)] ?? baseline.heapUsed) - baseline.heapUsed,
    ),
  })}\n`,
);
doc.destroy();
