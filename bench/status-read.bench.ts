import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { statusKey } from '../functions/store/item-keys.js';
import { readStatusItem } from '../functions/store/read-status.js';
import type { BenchStore } from './bench-store.js';
import { itemSize, readUnits } from './capacity-rules.js';
import { median, quantile } from './stats.js';

export interface StatusReadRow {
  history: number;
  roundTripsPerRead: number;
  /** Read units as DynamoDB Local reports them (median). */
  reportedUnits: number;
  /** Read units by DynamoDB's rules (strongly consistent: 1 per 4 KB). */
  computedUnits: number;
  itemBytes: number;
  medianMs: number;
  p90Ms: number;
}

export interface StatusReadFigures {
  rows: StatusReadRow[];
  /** Largest history over smallest: latency, computed units, item size. */
  ratio: { latency: number; units: number; bytes: number };
  /** Largest over the one before it (both past the bounded lists' caps). */
  ratioToPrevious: { latency: number; units: number; bytes: number };
}

/** The status item as stored (raw attribute values): its size by DynamoDB's rules. */
export async function rawStatusSize(store: BenchStore, talksId: string): Promise<number> {
  const result = await store.client.send(
    new GetItemCommand({ TableName: store.tables.state, Key: marshall(statusKey(talksId)), ConsistentRead: true }),
  );
  if (result.Item === undefined) throw new Error(`no status item for ${talksId}`);
  return itemSize(result.Item);
}

/**
 * The status read is one strongly consistent GetItem of a bounded item: its cost and
 * latency should not depend on how long the history is. Reads rotate over the talks so
 * noise falls on every history length alike.
 */
export async function statusReadBench(
  store: BenchStore,
  histories: ReadonlyMap<number, string>,
  rounds: number,
): Promise<StatusReadFigures> {
  const lengths = [...histories.keys()].sort((a, b) => a - b);
  const samples = new Map(lengths.map((n) => [n, { ms: [] as number[], units: [] as number[], trips: [] as number[] }]));
  for (let round = 0; round < rounds + 3; round += 1) {
    const rotated = [...lengths.slice(round % lengths.length), ...lengths.slice(0, round % lengths.length)];
    for (const n of rotated) {
      const s = samples.get(n)!;
      store.counter.reset();
      const started = performance.now();
      const item = await readStatusItem(store.ctx, histories.get(n)!);
      const ms = performance.now() - started;
      const units = store.counter.units('GetItem');
      if (item === undefined) throw new Error(`no status for the ${n}-event talks`);
      if (round < 3) continue; // warm-up
      s.ms.push(ms);
      s.units.push(units);
      s.trips.push(store.counter.total());
    }
  }
  const rows: StatusReadRow[] = [];
  for (const n of lengths) {
    const s = samples.get(n)!;
    const itemBytes = await rawStatusSize(store, histories.get(n)!);
    rows.push({
      history: n,
      roundTripsPerRead: Math.max(...s.trips),
      reportedUnits: median(s.units),
      computedUnits: readUnits(itemBytes),
      itemBytes,
      medianMs: median(s.ms),
      p90Ms: quantile(s.ms, 0.9),
    });
  }
  const ratioOf = (a: StatusReadRow, b: StatusReadRow) => ({
    latency: a.medianMs / b.medianMs,
    units: a.computedUnits / b.computedUnits,
    bytes: a.itemBytes / b.itemBytes,
  });
  const last = rows.at(-1)!;
  return { rows, ratio: ratioOf(last, rows[0]!), ratioToPrevious: ratioOf(last, rows.at(-2) ?? rows[0]!) };
}
