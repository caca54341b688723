import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { itemSize, KB, readUnits, writeUnits } from './capacity-rules.js';

/**
 * The same yardstick for every system in the peers section, from outside them: SDK
 * middleware on each one's low-level client records every call (its command, the keys it
 * wrote, the items it read and the capacity DynamoDB Local reports), and the units are then
 * computed by DynamoDB's published rules from the items' sizes: a write costs by the larger
 * of the item before and after it (read back raw after the work, unmetered), doubled in a
 * transaction; a read by the bytes it returned, per 4 KB, halved when eventually consistent.
 */
export interface PeerCall {
  command: string;
  reportedUnits: number;
  /** Writes: the table and raw key of each item written, and whether inside a transaction. */
  writes: { table: string; key: Record<string, AttributeValue>; transactional: boolean }[];
  /** Reads: bytes returned and whether strongly consistent. */
  read?: { bytes: number; consistent: boolean; single: boolean };
}

type Raw = Record<string, AttributeValue>;
const isRaw = (item: Record<string, unknown>): item is Raw =>
  Object.values(item).every(
    (v) => typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v) && Object.keys(v).length === 1,
  );
const rawOf = (item: Record<string, unknown>): Raw => (isRaw(item) ? item : marshall(item, { removeUndefinedValues: true }));

const keyOf = (item: Raw, keyNames: readonly string[]): Raw => Object.fromEntries(keyNames.map((k) => [k, item[k] as AttributeValue]));

export interface PeerMeter {
  calls: PeerCall[];
  /** Runs the work and returns its calls. */
  measure<T>(work: () => Promise<T>): Promise<{ result: T; calls: PeerCall[] }>;
}

/** `keys` names each table's key attributes (to pick a written item's key out of a Put). */
export function meterPeer(client: DynamoDBClient, keys: (table: string) => readonly string[]): PeerMeter {
  const calls: PeerCall[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      const input = args.input as unknown as Record<string, unknown>;
      if (!['DescribeTable', 'CreateTable', 'ListTables', 'DeleteTable'].includes(command) && input.ReturnConsumedCapacity === undefined)
        input.ReturnConsumedCapacity = 'TOTAL';
      const call: PeerCall = { command, reportedUnits: 0, writes: [] };
      collectWrites(command, input, keys, call);
      calls.push(call);
      const result = await next(args);
      const output = result.output as unknown as Record<string, unknown>;
      const consumed = output.ConsumedCapacity as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
      call.reportedUnits = (consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed]).reduce(
        (total, c) => total + (c.CapacityUnits ?? 0),
        0,
      );
      const consistent = input.ConsistentRead === true;
      if (output.Item !== undefined)
        call.read = { bytes: itemSize(rawOf(output.Item as Record<string, unknown>)), consistent, single: true };
      else if (Array.isArray(output.Items))
        call.read = {
          bytes: (output.Items as Record<string, unknown>[]).reduce((n, i) => n + itemSize(rawOf(i)), 0),
          consistent,
          single: false,
        };
      else if (command === 'GetItem' || command === 'Query') call.read = { bytes: 0, consistent, single: command === 'GetItem' };
      return result;
    },
    { step: 'initialize', name: 'peerMeter', priority: 'low', override: true },
  );
  return {
    calls,
    async measure(work) {
      const from = calls.length;
      const result = await work();
      return { result, calls: calls.slice(from) };
    },
  };
}

function collectWrites(command: string, input: Record<string, unknown>, keys: (table: string) => readonly string[], call: PeerCall) {
  const put = (table: string, item: Record<string, unknown>, transactional: boolean) =>
    call.writes.push({ table, key: keyOf(rawOf(item), keys(table)), transactional });
  const update = (table: string, key: Record<string, unknown>, transactional: boolean) =>
    call.writes.push({ table, key: rawOf(key), transactional });
  if (command === 'PutItem') put(String(input.TableName), input.Item as Record<string, unknown>, false);
  if (command === 'UpdateItem') update(String(input.TableName), input.Key as Record<string, unknown>, false);
  if (command === 'TransactWriteItems')
    for (const entry of input.TransactItems as Record<
      string,
      { TableName: string; Item?: Record<string, unknown>; Key?: Record<string, unknown> }
    >[]) {
      if (entry.Put !== undefined) put(entry.Put.TableName, entry.Put.Item ?? {}, true);
      if (entry.Update !== undefined) update(entry.Update.TableName, entry.Update.Key ?? {}, true);
    }
  if (command === 'BatchWriteItem')
    for (const [table, requests] of Object.entries(
      input.RequestItems as Record<string, { PutRequest?: { Item: Record<string, unknown> } }[]>,
    ))
      for (const r of requests) if (r.PutRequest !== undefined) put(table, r.PutRequest.Item, false);
}

/**
 * Sizes items as they are now, remembering each one's last size, so that a write is costed
 * by the larger of before and after. Read with a client of its own, outside the meter.
 */
export class ItemSizes {
  private readonly last = new Map<string, number>();
  constructor(private readonly client: DynamoDBClient) {}

  async sizeNow(table: string, key: Raw): Promise<number> {
    const found = await this.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return found.Item === undefined ? 0 : itemSize(found.Item);
  }

  /** Write units of the calls' writes by the rules; updates `last`. Items first seen are new (0 before). */
  async writeUnits(calls: readonly PeerCall[]): Promise<number> {
    let units = 0;
    for (const call of calls)
      for (const write of call.writes) {
        const id = `${write.table}|${JSON.stringify(write.key)}`;
        const after = await this.sizeNow(write.table, write.key);
        const before = this.last.get(id) ?? 0;
        this.last.set(id, after);
        units += writeUnits(Math.max(before, after)) * (write.transactional ? 2 : 1);
      }
    return units;
  }

  /** Remembers the current sizes of the given items (before a measured window). */
  async prime(table: string, keyList: readonly Raw[]) {
    for (const key of keyList) this.last.set(`${table}|${JSON.stringify(key)}`, await this.sizeNow(table, key));
  }
}

/** Read units of the calls by the rules: a GetItem per item, a Query over its total, per 4 KB. */
export const ruleReadUnits = (calls: readonly PeerCall[]): number =>
  calls.reduce(
    (total, c) =>
      c.read === undefined
        ? total
        : total + (c.read.bytes === 0 ? (c.read.consistent ? 1 : 0.5) : readUnits(c.read.bytes, c.read.consistent)),
    0,
  );

export const reportedUnits = (calls: readonly PeerCall[], kind: 'read' | 'write') =>
  calls
    .filter((c) =>
      (kind === 'read'
        ? ['GetItem', 'Query', 'BatchGetItem', 'Scan']
        : ['PutItem', 'UpdateItem', 'TransactWriteItems', 'BatchWriteItem']
      ).includes(c.command),
    )
    .reduce((total, c) => total + c.reportedUnits, 0);

export { KB };
