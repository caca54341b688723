import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../bin/local/ensure-tables.js';
import { type CommandCounter, countCommands } from '../functions/store/command-counter.js';
import type { StoreContext } from '../functions/store/store-context.js';
import { eventsTable, stateTable } from '../functions/store/table-definitions.js';

/** Capacity as DynamoDB (Local) reports it, by the operation the store named. */
export type CapacitySink = (operation: string, units: number) => void;

export interface BenchStore {
  ctx: StoreContext;
  counter: CommandCounter;
  /** The low-level client: raw attribute values, for item sizes. */
  client: DynamoDBClient;
  tables: { events: string; state: string };
  /** Where onCapacity reports go; swap it to attribute capacity to one measurement. */
  capacity: { sink: CapacitySink };
  /** Capacity of every call, when metered (reads the store does not report itself). */
  metered: { command: string; units: number }[];
  drop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const localClient = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });

/**
 * Fresh tables (same definitions as the stack) in the given DynamoDB Local, and a store
 * context like the Lambda's (document client with removeUndefinedValues, snapshots every
 * 50 versions, 40 append attempts) plus counters.
 */
export async function createBenchStore(
  endpoint: string,
  options: { meter?: boolean; snapshotInterval?: number } = {},
): Promise<BenchStore> {
  const suffix = randomUUID().slice(0, 8);
  const tables = { events: `bench-events-${suffix}`, state: `bench-state-${suffix}` };
  const client = localClient(endpoint);
  await ensureTables(client, [
    { definition: eventsTable, name: tables.events },
    { definition: stateTable, name: tables.state },
  ]);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const counter = countCommands(doc);
  const metered: BenchStore['metered'] = [];
  if (options.meter === true) meterCapacity(doc, metered);
  const capacity = { sink: (() => {}) as CapacitySink };
  const ctx: StoreContext = {
    doc,
    tables,
    snapshotInterval: options.snapshotInterval ?? 50,
    maxAppendAttempts: 40,
    now: () => new Date(),
    newId: randomUUID,
    onCapacity: (operation, units) => capacity.sink(operation, units),
  };
  return {
    ctx,
    counter,
    client,
    tables,
    capacity,
    metered,
    async drop() {
      for (const name of [tables.events, tables.state])
        await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
      client.destroy();
    },
  };
}

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

/**
 * Asks every call for its consumed capacity and records it: the store asks only on the
 * append and status-read paths, the benchmarks want it for time travel and audits too.
 */
function meterCapacity(doc: DynamoDBDocumentClient, into: BenchStore['metered']): void {
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Consumed }).ConsumedCapacity;
      const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
      into.push({
        command: String(context.commandName ?? '').replace(/Command$/, ''),
        units: list.reduce((total, c) => total + (c.CapacityUnits ?? 0), 0),
      });
      return result;
    },
    { step: 'initialize', name: 'benchCapacityMeter', priority: 'high', override: true },
  );
}
