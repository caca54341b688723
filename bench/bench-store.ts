import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbCredentials, localRegion } from '../bin/local/dynamodb-local.js';
import { ensureTables } from '../bin/local/ensure-tables.js';
import { checkpointKeys } from '../functions/signing/checkpoint-keys.js';
import { freshKeySigner } from '../functions/signing/key-signer.js';
import type { StoreContext } from '../functions/store/store-context.js';
import { eventsTable, stateTable } from '../functions/store/table-definitions.js';
import { type DynamoDbMeter, meterDynamoDb } from '../harness/dynamodb-meter.js';

export interface BenchStore {
  ctx: StoreContext;
  /** Every call: round trips, items read and the capacity DynamoDB Local reports (asked of every call). */
  counter: DynamoDbMeter;
  /** The low-level client: raw attribute values, for item sizes. */
  client: DynamoDBClient;
  tables: { events: string; state: string };
  drop(): Promise<void>;
}

/** A DynamoDB Local as a client reaches it: its address and its database's credentials. */
export interface BenchDynamo {
  endpoint: string;
  credentials: DynamoDbCredentials;
}

export const localClient = ({ endpoint, credentials }: BenchDynamo) =>
  new DynamoDBClient({
    endpoint,
    region: localRegion,
    // A copy: the SDK writes its bookkeeping into the object it is given.
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });

/**
 * Fresh tables (same definitions as the stack) in the given DynamoDB Local, and a store
 * context like the Lambda's (document client with removeUndefinedValues, snapshots every
 * 50 versions, 40 append attempts) plus counters.
 */
export async function createBenchStore(dynamo: BenchDynamo, options: { snapshotInterval?: number } = {}): Promise<BenchStore> {
  const suffix = randomUUID().slice(0, 8);
  const tables = { events: `bench-events-${suffix}`, state: `bench-state-${suffix}` };
  const client = localClient(dynamo);
  await ensureTables(client, [
    { definition: eventsTable, name: tables.events },
    { definition: stateTable, name: tables.state },
  ]);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const counter = meterDynamoDb(doc, { capacity: true });
  const ctx: StoreContext = {
    doc,
    tables,
    snapshotInterval: options.snapshotInterval ?? 50,
    maxAppendAttempts: 40,
    now: () => new Date(),
    newId: randomUUID,
    checkpoints: checkpointKeys(freshKeySigner),
  };
  return {
    ctx,
    counter,
    client,
    tables,
    async drop() {
      for (const name of [tables.events, tables.state])
        await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
      client.destroy();
    },
  };
}
