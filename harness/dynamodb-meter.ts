import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * What the tests and the bench measure of the store, from outside it: every call the code
 * makes to DynamoDB, with the items it returned and the capacity DynamoDB (Local) reports.
 * SDK middleware, so the store's own code carries no measuring (budgets are stated in
 * round trips, items read and capacity units: counts, not times).
 */
export interface MeteredCall {
  /** The command's name without "Command": GetItem, Query, TransactWriteItems... */
  readonly command: string;
  /** Items the call returned (Item, Items, Responses). */
  readonly itemsRead: number;
  /** Consumed capacity as reported (total over tables and indexes). */
  readonly units: number;
}

export interface DynamoDbMeter {
  /** Every call since the last reset, in order. */
  readonly calls: MeteredCall[];
  /** Calls since the last reset, by command. */
  readonly counts: Map<string, number>;
  /** Round trips since the last reset. */
  total(): number;
  itemsRead(): number;
  units(command?: string): number;
  reset(): void;
  /** What one piece of work cost: the calls made while it ran (run it alone to attribute them). */
  measure<T>(work: () => Promise<T>): Promise<{ result: T; calls: MeteredCall[]; roundTrips: number; itemsRead: number; units: number }>;
}

// The commands that accept ReturnConsumedCapacity (DescribeTable and the like do not).
const capacityCommands = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

function itemsIn(output: Record<string, unknown>): number {
  if (output.Item !== undefined) return 1;
  if (Array.isArray(output.Items)) return output.Items.length;
  const responses = output.Responses;
  if (Array.isArray(responses)) return responses.filter((r) => (r as { Item?: unknown }).Item !== undefined).length;
  if (typeof responses === 'object' && responses !== null)
    return Object.values(responses).reduce((n, items) => n + (items as unknown[]).length, 0);
  return 0;
}

const sum = (calls: readonly MeteredCall[], field: 'itemsRead' | 'units') => calls.reduce((total, c) => total + c[field], 0);

/**
 * Meters a client (document or low-level). Counted before the SDK's retries, so one count
 * is one call the code made; `capacity: true` asks every call for its consumed capacity.
 */
export function meterDynamoDb(client: DynamoDBClient | DynamoDBDocumentClient, options: { capacity?: boolean } = {}): DynamoDbMeter {
  const calls: MeteredCall[] = [];
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts.set(command, (counts.get(command) ?? 0) + 1);
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (options.capacity === true && capacityCommands.has(command) && input.ReturnConsumedCapacity === undefined)
        input.ReturnConsumedCapacity = 'TOTAL';
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        // A cancelled transaction or a failed condition is still a round trip.
        calls.push({ command, itemsRead: 0, units: 0 });
        throw error;
      }
      const output = result.output as unknown as Record<string, unknown> & { ConsumedCapacity?: Consumed };
      const consumed = output.ConsumedCapacity;
      const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
      calls.push({ command, itemsRead: itemsIn(output), units: list.reduce((total, c) => total + (c.CapacityUnits ?? 0), 0) });
      return result;
    },
    { step: 'initialize', name: 'talksDynamoDbMeter', priority: 'high', override: true },
  );
  const meter: DynamoDbMeter = {
    calls,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    itemsRead: () => sum(calls, 'itemsRead'),
    units: (command) => sum(command === undefined ? calls : calls.filter((c) => c.command === command), 'units'),
    reset: () => {
      calls.length = 0;
      counts.clear();
    },
    async measure(work) {
      const from = calls.length;
      const result = await work();
      const made = calls.slice(from);
      return { result, calls: made, roundTrips: made.length, itemsRead: sum(made, 'itemsRead'), units: sum(made, 'units') };
    },
  };
  return meter;
}
