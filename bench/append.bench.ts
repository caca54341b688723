import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { appendEventsController } from '../functions/controllers/append-events-controller.js';
import { type SubmittedEvent, submittedEventSchema } from '../functions/domain/submitted-event.js';
import { appendEvents } from '../functions/store/append-events.js';
import { statusKey } from '../functions/store/item-keys.js';
import { httpEvent } from '../harness/http-event.js';
import { appendCapacity, type CapacityFigures } from './append-capacity.js';
import type { BenchStore } from './bench-store.js';
import { capturingContext, retarget, type TransactItems, timingContext } from './capture.js';
import { median, quantile } from './stats.js';
import { parsedEventAt, rawEventAt, talksIdFor } from './workload.js';

export interface AppendFigures {
  /** Timed appends per variant (after warm-up), interleaved. */
  appends: number;
  medianMs: { store: number; handler: number; baseline: number };
  p90Ms: { store: number; handler: number; baseline: number };
  /** Time outside DynamoDB calls (validation, projection, hashing; marshalling is inside), median. */
  ownMs: { store: number; handler: number; baseline: number };
  /** Median of our path over median of the bare calls. */
  ratio: { store: number; handler: number };
  /** Round trips per submission (DynamoDB calls counted by command). */
  roundTrips: { single: number; batch: number; singleByCommand: Record<string, number>; batchByCommand: Record<string, number> };
  capacity: CapacityFigures;
}

type Variant = 'store' | 'handler' | 'baseline';

/**
 * Append overhead: the same single-event submissions through (1) validation + appendEvents,
 * (2) the whole Lambda handler, (3) the bare GetItem + TransactWriteItems with items our
 * code computed beforehand for an identical talks. Interleaved, rotating the order, so the
 * machine's noise falls on all three alike.
 */
export async function appendBench(
  store: BenchStore,
  options: { appends: number; warmup: number; batches: number },
): Promise<AppendFigures> {
  const { counter } = store;
  const timing = timingContext(store.ctx);
  const ctx = timing.ctx;
  const total = options.appends + options.warmup;
  // 1. Template: our code computes every transaction once, on a talks of its own.
  const template = talksIdFor('ovh-t');
  const capturing = capturingContext(ctx);
  for (let i = 0; i < total; i += 1)
    await appendEvents(capturing.ctx, { talksId: template, events: [parsedEventAt(i)], principal: 'bench' });
  const eventIds = new Map<string, string>();
  for (const items of capturing.transactions)
    for (const t of items) if (t.Put?.Item?.kind === 'event') eventIds.set(String(t.Put.Item.eventId), randomUUID());
  const baselineTalks = talksIdFor('ovh-b');
  const baselineItems = retarget(capturing.transactions, template, baselineTalks, eventIds);

  const storeTalks = talksIdFor('ovh-s');
  const handlerTalks = talksIdFor('ovh-h');
  const storeEvents = Array.from({ length: total }, (_, i) => rawEventAt(i));
  // API Gateway builds the request event outside the function: not timed.
  const handlerEvents = Array.from({ length: total }, (_, i) =>
    httpEvent({
      method: 'POST',
      path: `/talks/${handlerTalks}/events`,
      pathParameters: { talksId: handlerTalks },
      rawBody: JSON.stringify(rawEventAt(i)),
      scopes: ['talks/write'],
      subject: 'bench',
    }),
  );
  const handler = appendEventsController({ store: ctx, readsArePublic: true, now: () => new Date(), log: () => {} });
  const reported: number[] = [];
  const roundTrips = { store: [] as number[], handler: [] as number[], byCommand: new Map<string, number>() };

  const run: Record<Variant, (i: number) => Promise<void>> = {
    async store(i) {
      counter.reset();
      const event = submittedEventSchema.parse(storeEvents[i]) as SubmittedEvent;
      await appendEvents(ctx, { talksId: storeTalks, events: [event], principal: 'bench' });
      reported.push(counter.units('TransactWriteItems'));
      roundTrips.store.push(counter.total());
      for (const [command, n] of counter.counts) roundTrips.byCommand.set(command, (roundTrips.byCommand.get(command) ?? 0) + n);
    },
    async handler(i) {
      counter.reset();
      const response = await handler(handlerEvents[i]!);
      if (response.statusCode !== 201) throw new Error(`handler answered ${response.statusCode}: ${response.body}`);
      roundTrips.handler.push(counter.total());
    },
    async baseline(i) {
      await ctx.doc.send(
        new GetCommand({
          TableName: ctx.tables.state,
          Key: statusKey(baselineTalks),
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      await ctx.doc.send(new TransactWriteCommand({ TransactItems: baselineItems[i] as TransactItems, ReturnConsumedCapacity: 'TOTAL' }));
    },
  };

  const times: Record<Variant, number[]> = { store: [], handler: [], baseline: [] };
  const own: Record<Variant, number[]> = { store: [], handler: [], baseline: [] };
  const order: Variant[] = ['store', 'handler', 'baseline'];
  for (let i = 0; i < total; i += 1) {
    const rotated = [...order.slice(i % 3), ...order.slice(0, i % 3)];
    for (const variant of rotated) {
      timing.inCalls.ms = 0;
      const started = performance.now();
      await run[variant](i);
      const ms = performance.now() - started;
      if (i < options.warmup) continue;
      times[variant].push(ms);
      own[variant].push(ms - timing.inCalls.ms);
    }
  }

  // Batches of 25 on another talks, through the capturing client (not timed).
  const batchTalks = talksIdFor('ovh-c');
  const batchCapture = capturingContext(ctx);
  await appendEvents(batchCapture.ctx, { talksId: batchTalks, events: [parsedEventAt(0)], principal: 'bench' });
  const batchReported: number[] = [];
  const batchTrips: number[] = [];
  const batchByCommand = new Map<string, number>();
  for (let b = 0; b < options.batches; b += 1) {
    counter.reset();
    await appendEvents(batchCapture.ctx, {
      talksId: batchTalks,
      events: Array.from({ length: 25 }, (_, j) => parsedEventAt(1 + b * 25 + j)),
      principal: 'bench',
    });
    batchReported.push(counter.units('TransactWriteItems'));
    batchTrips.push(counter.total());
    for (const [command, n] of counter.counts) batchByCommand.set(command, (batchByCommand.get(command) ?? 0) + n);
  }

  const stat = (f: (v: number[]) => number, of = times) => ({ store: f(of.store), handler: f(of.handler), baseline: f(of.baseline) });
  const medianMs = stat(median);
  const perCall = (map: Map<string, number>, calls: number) => Object.fromEntries([...map].map(([k, v]) => [k, v / calls]));
  return {
    appends: times.store.length,
    medianMs,
    p90Ms: stat((v) => quantile(v, 0.9)),
    ownMs: stat(median, own),
    ratio: { store: medianMs.store / medianMs.baseline, handler: medianMs.handler / medianMs.baseline },
    roundTrips: {
      single: Math.max(...roundTrips.store, ...roundTrips.handler),
      batch: Math.max(...batchTrips),
      singleByCommand: perCall(roundTrips.byCommand, roundTrips.store.length),
      batchByCommand: perCall(batchByCommand, batchTrips.length),
    },
    // The template's transactions carry the same items (sizes) as the store path's.
    capacity: appendCapacity(capturing.transactions, reported, batchCapture.transactions, batchReported),
  };
}
