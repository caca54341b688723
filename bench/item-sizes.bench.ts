import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type SubmittedEvent, submittedEventSchema } from '../functions/domain/submitted-event.js';
import { appendEvents } from '../functions/store/append-events.js';
import { idempotencyKey, statusKey } from '../functions/store/item-keys.js';
import { fromStatusRecord } from '../functions/store/status-codec.js';
import type { BenchStore } from './bench-store.js';
import { attributeSizes, indexEntrySize, itemSize, KB } from './capacity-rules.js';
import { max, median, min } from './stats.js';
import { type StatusFloor, statusFloor } from './status-floor.js';
import { loadScenario, talksIdFor } from './workload.js';

export interface StatusSize {
  label: string;
  bytes: number;
  /** For comparison: the same item with its status as a plain DynamoDB map (as stored before 2026-11-27). */
  plainStatusBytes: number;
  /** Every field of the status map, largest first, and the item's top-level attributes. */
  statusFields: { name: string; bytes: number }[];
  topLevel: { name: string; bytes: number }[];
  /** What no encoding of the status can drop (status-floor.ts): whether it could be under 1 KB. */
  floor: StatusFloor;
}

export interface ItemSizeFigures {
  scenarioEvents: number;
  status: StatusSize[];
  event: { min: number; median: number; max: number; overOneKb: number };
  largestEvent: { type: string; bytes: number };
  idempotencyBytes: number;
  indexEntryBytes: number;
  statusBudgetBytes: number;
}

async function statusSize(store: BenchStore, talksId: string, label: string): Promise<StatusSize> {
  const raw = await store.client.send(
    new GetItemCommand({ TableName: store.tables.state, Key: marshall(statusKey(talksId)), ConsistentRead: true }),
  );
  if (raw.Item === undefined) throw new Error(`no status item for ${talksId}`);
  const item = unmarshall(raw.Item);
  // The status is stored compressed (statusD); its fields are measured as a plain map would be.
  const status = fromStatusRecord(item).status;
  const topLevel = attributeSizes(item);
  const plain = { ...raw.Item, status: marshall({ s: status }, { removeUndefinedValues: true }).s! };
  delete (plain as Record<string, unknown>).statusD;
  delete (plain as Record<string, unknown>).statusZ;
  return {
    label,
    bytes: itemSize(raw.Item),
    plainStatusBytes: itemSize(plain),
    statusFields: attributeSizes(status as unknown as Record<string, unknown>),
    topLevel,
    floor: statusFloor(status, topLevel),
  };
}

/**
 * The scenario appended as a newsroom would (one development per submission), then the
 * stored items measured by DynamoDB's size rules, read back raw as DynamoDB holds them.
 * `saturated` names talks whose bounded lists are full, for the largest the item gets.
 */
export async function itemSizesBench(
  store: BenchStore,
  saturated: { talksId: string; history: number } | undefined,
): Promise<ItemSizeFigures> {
  const scenario = loadScenario();
  const talksId = talksIdFor('scen');
  for (const raw of scenario.events) {
    await appendEvents(store.ctx, { talksId, events: [submittedEventSchema.parse(raw) as SubmittedEvent], principal: 'bench' });
  }
  const page = await store.client.send(
    new QueryCommand({
      TableName: store.tables.events,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': talksId }),
      ConsistentRead: true,
    }),
  );
  const events = (page.Items ?? []).map((i) => ({ bytes: itemSize(i), type: String(i.type?.S) }));
  const sizes = events.map((e) => e.bytes);
  const largest = events.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const firstId = String(page.Items?.[0]?.eventId?.S);
  const idem = await store.client.send(
    new GetItemCommand({ TableName: store.tables.events, Key: marshall(idempotencyKey(firstId)), ConsistentRead: true }),
  );
  const scenarioStatus = await statusSize(store, talksId, `scenario (${scenario.events.length} events)`);
  const status = [scenarioStatus];
  if (saturated !== undefined)
    status.push(await statusSize(store, saturated.talksId, `cycled scenario, ${saturated.history.toLocaleString('en-US')} events`));
  const statusItem = unmarshall(
    (await store.client.send(new GetItemCommand({ TableName: store.tables.state, Key: marshall(statusKey(talksId)) }))).Item ?? {},
  );
  return {
    scenarioEvents: scenario.events.length,
    status,
    event: { min: min(sizes), median: median(sizes), max: max(sizes), overOneKb: sizes.filter((s) => s > KB).length },
    largestEvent: largest,
    idempotencyBytes: idem.Item === undefined ? Number.NaN : itemSize(idem.Item),
    indexEntryBytes: indexEntrySize(statusItem),
    statusBudgetBytes: 4 * KB,
  };
}
