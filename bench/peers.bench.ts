import { type AttributeValue, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { statusKey } from '../functions/store/item-keys.js';
import { type BenchDynamo, type BenchStore, localClient } from './bench-store.js';
import { itemSize, listIndexWriteUnits, writeUnits } from './capacity-rules.js';
import { ItemSizes, meterPeer, type PeerCall, type PeerMeter, reportedUnits, ruleReadUnits } from './peer-meter.js';
import { castoreSystem, equinoxSystem, ourSystem, type PeerEvent, type PeerSystem } from './peer-systems.js';
import { median, sum } from './stats.js';
import { parsedEventAt, talksIdFor } from './workload.js';

/**
 * This project beside Castore and Equinox on the same DynamoDB Local, with the same events
 * (the cycled scenario, one development per submission) and the same fold. Each system gets
 * a stream with a history first (steady state), then single-event appends interleaved in
 * rotating order; then state reads at several history lengths; then the bytes each stored.
 */
export interface PeerRow {
  name: string;
  roundTrips: number;
  writeUnitsByRules: number;
  /** Of which index writes (ours: the list and snapshot indexes; the peers write none in steady state). */
  indexUnitsByRules: number;
  writeUnitsReported: number;
  readUnitsByRules: number;
  readUnitsReported: number;
  medianMs: number;
  ratio: number;
  bytesPerEvent: number;
  events: number;
}

export interface StateReadRow {
  length: number;
  bySystem: { name: string; roundTrips: number; readUnitsByRules: number; readUnitsReported: number; medianMs: number }[];
}

export interface PeerFigures {
  history: number;
  appends: number;
  rows: PeerRow[];
  stateReads: StateReadRow[];
}

interface Contender {
  system: PeerSystem;
  meter: PeerMeter;
  sizes: ItemSizes;
  streamId: string;
  version: number;
  samples: { ms: number; calls: PeerCall[]; writeUnits: number; indexUnits: number }[];
}

const mean = (values: readonly number[]) => sum(values) / values.length;
const peerEvent = (i: number): PeerEvent => ({
  submitted: parsedEventAt(i) as PeerEvent['submitted'],
  recordedAt: new Date().toISOString(),
});

async function appendMany(c: Contender, from: number, to: number, batch: number) {
  for (let start = from; start < to; start += batch) {
    const events = Array.from({ length: Math.min(batch, to - start) }, (_, j) => peerEvent(start + j));
    await c.system.append(c.streamId, events, c.version);
    c.version += events.length;
  }
}

/** Our index writes by the rules: the list-index entry (before and after) and each snapshot's index entry. */
async function ourIndexUnits(store: BenchStore, c: Contender, before: Record<string, AttributeValue> | undefined, calls: PeerCall[]) {
  const after = (
    await store.client.send(
      new GetItemCommand({ TableName: store.tables.state, Key: marshall(statusKey(c.streamId)), ConsistentRead: true }),
    )
  ).Item;
  let units = after === undefined ? 0 : listIndexWriteUnits(unmarshall(after), before === undefined ? undefined : unmarshall(before));
  for (const call of calls)
    for (const w of call.writes)
      if (w.table === store.tables.state && w.key.sk?.N !== '0') units += writeUnits((await c.sizes.sizeNow(w.table, w.key)) + 100);
  return { units, after };
}

export async function peersBench(
  store: BenchStore,
  dynamo: BenchDynamo,
  options: { history: number; appends: number; readLengths: readonly number[]; log?: (m: string) => void },
): Promise<PeerFigures> {
  const suffix = talksIdFor('p').slice(2);
  const systems = [
    ourSystem(store),
    await castoreSystem(dynamo, `peer-castore-${suffix}`),
    await equinoxSystem(dynamo, `peer-eqx-${suffix}`),
    await equinoxSystem(dynamo, `peer-eqx4k-${suffix}`, 4 * 1024),
  ];
  const reader = localClient(dynamo);
  const contenders: Contender[] = systems.map((system) => ({
    system,
    meter: meterPeer(system.client, (table) => system.tables.get(table) ?? []),
    sizes: new ItemSizes(reader),
    streamId: talksIdFor('peer'),
    version: 0,
    samples: [],
  }));
  const ours = contenders[0] as Contender;
  for (const c of contenders) {
    options.log?.(`peers: history of ${options.history} for ${c.system.name}`);
    await appendMany(c, 0, options.history, 25);
  }
  // Warm-up: each system's items (the tip, the status item) get their sizes remembered.
  let next = options.history;
  for (const c of contenders) {
    const { calls } = await c.meter.measure(() => c.system.append(c.streamId, [peerEvent(next)], c.version));
    c.version += 1;
    await c.sizes.writeUnits(calls);
  }
  next += 1;
  let ourStatus = (
    await store.client.send(
      new GetItemCommand({ TableName: store.tables.state, Key: marshall(statusKey(ours.streamId)), ConsistentRead: true }),
    )
  ).Item;
  for (let round = 0; round < options.appends; round += 1, next += 1) {
    for (let k = 0; k < contenders.length; k += 1) {
      const c = contenders[(round + k) % contenders.length] as Contender;
      const event = peerEvent(next);
      const began = performance.now();
      const { calls } = await c.meter.measure(() => c.system.append(c.streamId, [event], c.version));
      const ms = performance.now() - began;
      c.version += 1;
      let indexUnits = 0;
      if (c === ours) {
        const index = await ourIndexUnits(store, c, ourStatus, calls);
        indexUnits = index.units;
        ourStatus = index.after;
      }
      c.samples.push({ ms, calls, writeUnits: (await c.sizes.writeUnits(calls)) + indexUnits, indexUnits });
    }
  }
  const bytes = await Promise.all(contenders.map((c) => storedBytes(reader, c)));
  const ourMedian = median(ours.samples.map((s) => s.ms));
  const rows: PeerRow[] = contenders.map((c, i) => ({
    name: c.system.name,
    roundTrips: mean(c.samples.map((s) => s.calls.length)),
    writeUnitsByRules: mean(c.samples.map((s) => s.writeUnits)),
    indexUnitsByRules: mean(c.samples.map((s) => s.indexUnits)),
    writeUnitsReported: mean(c.samples.map((s) => reportedUnits(s.calls, 'write'))),
    readUnitsByRules: mean(c.samples.map((s) => ruleReadUnits(s.calls))),
    readUnitsReported: mean(c.samples.map((s) => reportedUnits(s.calls, 'read'))),
    medianMs: median(c.samples.map((s) => s.ms)),
    ratio: median(c.samples.map((s) => s.ms)) / ourMedian,
    bytesPerEvent: (bytes[i] as number) / c.version,
    events: c.version,
  }));
  const stateReads: StateReadRow[] = [];
  for (const length of options.readLengths) {
    const readers = contenders.map((c) => ({ ...c, streamId: talksIdFor('peerr'), version: 0 }));
    for (const c of readers) await appendMany(c, 0, length, 25);
    const bySystem = [];
    for (const c of readers) {
      const runs = [];
      for (let r = 0; r < 5; r += 1) {
        const began = performance.now();
        const { calls } = await c.meter.measure(() => c.system.readState(c.streamId));
        runs.push({ ms: performance.now() - began, calls });
      }
      const last = runs.at(-1)?.calls ?? [];
      bySystem.push({
        name: c.system.name,
        roundTrips: last.length,
        readUnitsByRules: ruleReadUnits(last),
        readUnitsReported: reportedUnits(last, 'read'),
        medianMs: median(runs.map((r) => r.ms)),
      });
    }
    stateReads.push({ length, bySystem });
    options.log?.(`peers: state reads at ${length} events`);
  }
  reader.destroy();
  for (const c of contenders) if (c !== ours) c.system.client.destroy();
  return { history: options.history, appends: options.appends, rows, stateReads };
}

/**
 * Every item a system keeps for one stream, by the size rules, plus its index entries (100
 * bytes of overhead each, as the rules count them): ours the events, their idempotency
 * records, the status item and the snapshots (and their list and snapshot index entries);
 * Castore its event items (and the initial event's index entry); Equinox its tip and batches.
 */
async function storedBytes(client: ReturnType<typeof localClient>, c: Contender): Promise<number> {
  let total = 0;
  for (const table of c.system.tables.keys()) {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
      for (const item of page.Items ?? []) {
        const owner = item.pk?.S ?? item.aggregateId?.S ?? item.p?.S ?? '';
        // Idempotency records name their talks: `t` since 2026-12-03, `talksId` before.
        const mine = owner.endsWith(c.streamId) || (item.t ?? item.talksId)?.S === c.streamId;
        if (!mine) continue;
        total += itemSize(item);
        if (item.kind?.S === 'status')
          total += itemSize({ pk: item.pk!, sk: item.sk!, listPk: item.listPk!, activityKey: item.activityKey! }) + 100;
        if (item.kind?.S === 'snapshot') total += itemSize(item) + 100;
        if (item.eventStoreId !== undefined)
          total +=
            itemSize({
              aggregateId: item.aggregateId!,
              version: item.version!,
              eventStoreId: item.eventStoreId,
              timestamp: item.timestamp!,
            }) + 100;
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }
  return total;
}
