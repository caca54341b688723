import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventKey, fromEventItem } from '../functions/store/item-keys.js';
import { statusAsOf, statusAtVersion } from '../functions/store/time-travel.js';
import type { BenchStore } from './bench-store.js';
import { max, median, seededRandom } from './stats.js';

export interface TimeTravelRow {
  history: number;
  /** How the history was appended: batches share one recordedAt, so asOf lands on batch ends. */
  built: 'batches of 25' | '1 event per submission' | 'batches of 7';
  targets: 'uniform' | 'worst case';
  mode: 'atVersion' | 'asOf';
  samples: number;
  itemsRead: { median: number; max: number };
  roundTrips: { median: number; max: number };
  /** Read units DynamoDB Local reports for the whole read (median). */
  reportedUnits: number;
  medianMs: number;
}

export interface TimeTravelFigures {
  snapshotInterval: number;
  rows: TimeTravelRow[];
}

export interface TimeTravelHistory {
  length: number;
  talksId: string;
  built: TimeTravelRow['built'];
}

/** Versions to ask for: uniform over the history, or each just before the next snapshot. */
// Batches of 7 straddle the interval, so their worst case is worth asking for too.
function targetVersions(
  history: TimeTravelHistory,
  samples: number,
  interval: number,
  random: () => number,
): { targets: TimeTravelRow['targets']; versions: number[] } {
  if (history.built === 'batches of 25')
    return { targets: 'uniform', versions: Array.from({ length: samples }, () => 1 + Math.floor(random() * history.length)) };
  const intervals = Math.max(1, Math.floor(history.length / interval));
  return {
    targets: 'worst case',
    versions: Array.from({ length: samples }, () => Math.min(history.length, Math.floor(random() * intervals) * interval + interval - 1)),
  };
}

/**
 * atVersion reads the snapshot at or before the version plus the events after it; asOf
 * reads the snapshot recorded by the moment, then the events after it through the next
 * multiple of the interval (the last one proves the moment lies before it). Histories appended in batches
 * get uniform targets; the one appended an event at a time gets the worst case (one version
 * before a snapshot), which batches cannot show: their events share a recordedAt.
 */
export async function timeTravelBench(
  store: BenchStore,
  histories: readonly TimeTravelHistory[],
  samples: number,
): Promise<TimeTravelFigures> {
  const rows: TimeTravelRow[] = [];
  const random = seededRandom(6);
  const interval = store.ctx.snapshotInterval;
  for (const history of histories) {
    const { targets, versions } = targetVersions(history, samples, interval, random);
    const times: string[] = [];
    for (const v of versions) {
      const probe = await store.ctx.doc.send(
        new GetCommand({ TableName: store.tables.events, Key: eventKey(history.talksId, v), ConsistentRead: true }),
      );
      times.push(fromEventItem(probe.Item ?? {}).recordedAt);
    }
    for (const mode of ['atVersion', 'asOf'] as const) {
      const items: number[] = [];
      const trips: number[] = [];
      const units: number[] = [];
      const ms: number[] = [];
      for (let i = 0; i < samples; i += 1) {
        const started = performance.now();
        const cost = await store.counter.measure(() =>
          mode === 'atVersion'
            ? statusAtVersion(store.ctx, history.talksId, versions[i]!)
            : statusAsOf(store.ctx, history.talksId, times[i]!),
        );
        ms.push(performance.now() - started);
        const status = cost.result;
        if (mode === 'atVersion' && status.version !== versions[i])
          throw new Error(`atVersion ${versions[i]} gave version ${status.version}`);
        items.push(cost.itemsRead);
        trips.push(cost.roundTrips);
        units.push(cost.units);
      }
      rows.push({
        history: history.length,
        built: history.built,
        targets,
        mode,
        samples,
        itemsRead: { median: median(items), max: max(items) },
        roundTrips: { median: median(trips), max: max(trips) },
        reportedUnits: median(units),
        medianMs: median(ms),
      });
    }
  }
  return { snapshotInterval: interval, rows };
}
