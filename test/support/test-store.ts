import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureTables } from '../../bin/local/ensure-tables.js';
import type { Runtime } from '../../functions/controllers/runtime.js';
import { checkpointKeys } from '../../functions/signing/checkpoint-keys.js';
import { freshKeySigner } from '../../functions/signing/key-signer.js';
import type { StoreContext } from '../../functions/store/store-context.js';
import { eventsTable, stateTable } from '../../functions/store/table-definitions.js';
import { type DynamoDbMeter, meterDynamoDb } from '../../harness/dynamodb-meter.js';

export interface TestStore {
  ctx: StoreContext;
  runtime: Runtime;
  /** Every call the store makes: round trips, items read, capacity. */
  counter: DynamoDbMeter;
  raw: DynamoDBDocumentClient;
  tables: { events: string; state: string };
}

/** The run's DynamoDB Local as a client reaches it: its address and its database's credentials. */
export const testDynamo = () => ({ endpoint: inject('dynamoEndpoint'), credentials: { ...inject('dynamoCredentials') } });

/** One key for the run's suites: signing is real, the key is made in memory. */
export const testCheckpointKeys = checkpointKeys(freshKeySigner);

/** Fresh tables in the run's DynamoDB Local, so suites never see each other's data. */
export async function createTestStore(overrides: Partial<StoreContext> = {}): Promise<TestStore> {
  const { endpoint, credentials } = testDynamo();
  const suffix = randomUUID().slice(0, 8);
  const tables = { events: `events-${suffix}`, state: `state-${suffix}` };
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials,
    maxAttempts: 3,
  });
  await ensureTables(client, [
    { definition: eventsTable, name: tables.events },
    { definition: stateTable, name: tables.state },
  ]);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const counter = meterDynamoDb(doc);
  const ctx: StoreContext = {
    doc,
    tables,
    snapshotInterval: 50,
    maxAppendAttempts: 40,
    // Suites judge what lands, not how fast: a loaded machine must not turn races into 503s.
    // The budget itself is tested with a small one (append-budget.int.spec.ts).
    appendRetryBudgetMs: 60_000,
    now: () => new Date(),
    newId: randomUUID,
    checkpoints: testCheckpointKeys,
    ...overrides,
  };
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'local', credentials: { ...credentials } }));
  const runtime: Runtime = { store: ctx, readsArePublic: true, now: () => new Date(), log: () => {} };
  return { ctx, runtime, counter, raw, tables };
}
