import { CreateTableCommand, DynamoDB, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventStore, EventType } from '@castore/core';
import { DynamoDBSingleTableEventStorageAdapter } from '@castore/event-storage-adapter-dynamodb';
import { CachingStrategy, Codec, Decider, StreamId } from '@equinox-js/core';
import {
  AccessStrategy,
  DynamoStoreCategory,
  DynamoStoreClient,
  DynamoStoreContext,
  QueryOptions,
  TipOptions,
} from '@equinox-js/dynamo-store';
import { localRegion } from '../bin/local/dynamodb-local.js';
import { eventCatalog, eventTypes } from '../functions/domain/event-catalog.js';
import { foldLive } from '../functions/domain/replay-policy.js';
import type { StoredEvent, SubmittedEvent } from '../functions/domain/submitted-event.js';
import { initialStatus, type TalksStatus } from '../functions/domain/talks-status.js';
import { appendEvents } from '../functions/store/append-events.js';
import { readStatusItem } from '../functions/store/read-status.js';
import type { BenchDynamo, BenchStore } from './bench-store.js';
import { localClient } from './bench-store.js';

/**
 * The systems the peers section compares, behind one shape: append one submission, read
 * the state. Every one folds the same events with the same fold (our evolve, via foldLive):
 * the peers store the submitted event with the transaction time the bench stamps, and fold
 * it as we would (no hash chain: the peers keep none).
 */
export interface PeerEvent {
  submitted: SubmittedEvent & { eventId: string };
  recordedAt: string;
}

export interface PeerSystem {
  name: string;
  client: DynamoDBClient;
  /** Table name → its key attribute names (to cost what a call writes). */
  tables: Map<string, readonly string[]>;
  /** One submission of these events onto a stream now at `version`. */
  append(streamId: string, events: readonly PeerEvent[], version: number): Promise<void>;
  readState(streamId: string): Promise<TalksStatus>;
}

/** A submitted event as the fold takes it, at a version. */
const asStored = (streamId: string, e: PeerEvent, version: number): StoredEvent =>
  ({
    ...e.submitted,
    talksId: streamId,
    version,
    recordedAt: e.recordedAt,
    recordedBy: 'bench',
    schemaVersion: eventCatalog[e.submitted.type].schemaVersion,
    prevHash: '',
    hash: '',
  }) as StoredEvent;

export function ourSystem(store: BenchStore): PeerSystem {
  return {
    name: 'this project',
    client: store.client,
    tables: new Map([
      [store.tables.events, ['pk', 'sk']],
      [store.tables.state, ['pk', 'sk']],
    ]),
    async append(streamId, events) {
      await appendEvents(store.ctx, { talksId: streamId, events: events.map((e) => e.submitted), principal: 'bench' });
    },
    async readState(streamId) {
      const item = await readStatusItem(store.ctx, streamId);
      if (item === undefined) throw new Error(`no status for ${streamId}`);
      return item.status;
    },
  };
}

/** Castore 2.4.2: one item per event (conditional put on aggregateId + version), state by replaying every event. */
export async function castoreSystem(dynamo: BenchDynamo, tableName: string): Promise<PeerSystem> {
  const client = localClient(dynamo);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'aggregateId', AttributeType: 'S' },
        { AttributeName: 'version', AttributeType: 'N' },
        { AttributeName: 'eventStoreId', AttributeType: 'S' },
        { AttributeName: 'timestamp', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'aggregateId', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'initialEvents',
          KeySchema: [
            { AttributeName: 'eventStoreId', KeyType: 'HASH' },
            { AttributeName: 'timestamp', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  const store = new EventStore({
    eventStoreId: 'TALKS',
    eventTypes: eventTypes.map((type) => new EventType<string, PeerEvent['submitted'], undefined>({ type })),
    reducer: (aggregate: (TalksStatus & { aggregateId: string; version: number }) | undefined, event) => {
      const id = event.aggregateId.replace(/^TALKS#/, '');
      const before = aggregate ?? { ...initialStatus(id), aggregateId: event.aggregateId };
      const stored = asStored(id, { submitted: event.payload as PeerEvent['submitted'], recordedAt: event.timestamp }, event.version);
      return { ...foldLive(before, stored), aggregateId: event.aggregateId };
    },
    eventStorageAdapter: new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client }),
  });
  return {
    name: 'Castore 2.4.2',
    client,
    tables: new Map([[tableName, ['aggregateId', 'version']]]),
    async append(streamId, events, version) {
      let v = version;
      for (const e of events) {
        v += 1;
        await store.pushEvent({ aggregateId: streamId, version: v, type: e.submitted.type, payload: e.submitted, timestamp: e.recordedAt });
      }
    },
    async readState(streamId) {
      const { aggregate } = await store.getAggregate(streamId);
      if (aggregate === undefined) throw new Error(`no events for ${streamId}`);
      const { aggregateId: _id, ...status } = aggregate;
      return status as TalksStatus;
    },
  };
}

type EqxEvent = { type: string; data: Record<string, unknown> };
const snapshotType = 'Snapshotted';

/**
 * Equinox DynamoStore 1.2.0, Snapshot access strategy (the folded state kept as an unfold in
 * the tip), compressed codec, no cache: every decision loads the tip. `tipMaxBytes` is the
 * tip's size before it calves its events off into a batch item (default 32 KiB).
 */
export async function equinoxSystem(dynamo: BenchDynamo, tableName: string, tipMaxBytes?: number): Promise<PeerSystem> {
  // The aggregated client Equinox takes (a DynamoDBClient too, so it is metered the same way).
  const client = new DynamoDB({
    endpoint: dynamo.endpoint,
    region: localRegion,
    credentials: { accessKeyId: dynamo.credentials.accessKeyId, secretAccessKey: dynamo.credentials.secretAccessKey },
    maxAttempts: 3,
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'p', AttributeType: 'S' },
        { AttributeName: 'i', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'p', KeyType: 'HASH' },
        { AttributeName: 'i', KeyType: 'RANGE' },
      ],
    }),
  );
  const context = new DynamoStoreContext({
    client: new DynamoStoreClient(client),
    tableName,
    tip: TipOptions.create(tipMaxBytes === undefined ? {} : { maxBytes: tipMaxBytes }),
    query: QueryOptions.create({}),
  });
  type State = TalksStatus;
  const fold = (state: State, events: EqxEvent[]): State =>
    events.reduce(
      (s, e) =>
        e.type === snapshotType
          ? (e.data as unknown as State)
          : foldLive(
              s,
              asStored(
                s.talksId,
                { submitted: e.data.submitted as PeerEvent['submitted'], recordedAt: String(e.data.recordedAt) },
                s.version + 1,
              ),
            ),
      state,
    );
  const categories = new Map<string, ReturnType<typeof DynamoStoreCategory.create<EqxEvent, State, undefined>>>();
  const decider = (streamId: string) => {
    let category = categories.get(streamId);
    if (category === undefined) {
      category = DynamoStoreCategory.create<EqxEvent, State, undefined>(
        context,
        'Talks',
        Codec.compress(Codec.json<EqxEvent>()),
        fold,
        initialStatus(streamId),
        CachingStrategy.NoCache(),
        AccessStrategy.Snapshot<EqxEvent, State>(
          (e) => e.type === snapshotType,
          (s) => ({ type: snapshotType, data: s as unknown as Record<string, unknown> }),
        ),
      );
      categories.set(streamId, category);
    }
    return Decider.forStream(category, StreamId.create(streamId), undefined);
  };
  return {
    name: `Equinox DynamoStore 1.2.0, ${tipMaxBytes === undefined ? 'default 32 KiB tip' : `${tipMaxBytes / 1024} KiB tip`}`,
    client,
    tables: new Map([[tableName, ['p', 'i']]]),
    async append(streamId, events) {
      await decider(streamId).transact(() =>
        events.map((e) => ({ type: e.submitted.type, data: { submitted: e.submitted, recordedAt: e.recordedAt } })),
      );
    },
    async readState(streamId) {
      return decider(streamId).query((s) => s);
    },
  };
}
