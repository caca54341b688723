/**
 * The one definition of each DynamoDB table. The CDK stack and the local server
 * (which creates the tables in DynamoDB Local) both build from these objects, and an
 * infra test proves the synthesized template matches them.
 */
export type KeyType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /**
   * Only the summary is projected: an index write costs by the projected size, and the
   * list route needs nothing more.
   */
  readonly nonKeyAttributes: readonly string[];
}

/** Same partition key as the table, another sort key. */
export interface LocalIndexDefinition {
  readonly indexName: string;
  readonly sortKey: KeyAttribute;
}

export interface TableDefinition {
  /** Logical id in the stack and the name used locally. */
  readonly id: string;
  /** Environment variable carrying the physical table name to the handlers. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  readonly localSecondaryIndexes: readonly LocalIndexDefinition[];
  /** Streams new images for downstream consumers (the log only). */
  readonly stream: boolean;
  /** An attribute holding an epoch second after which DynamoDB may delete the item (AWS only). */
  readonly timeToLiveAttribute?: string;
}

/** The log: immutable, put-only. Events and idempotency records. */
export const eventsTable = {
  id: 'Events',
  envVar: 'EVENTS_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
  stream: true,
} as const satisfies TableDefinition;

/** Derived state: status items, snapshots, and the list index. Rebuildable from the log. */
export const stateTable = {
  id: 'State',
  envVar: 'STATE_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
  globalSecondaryIndexes: [
    {
      indexName: 'byActivity',
      partitionKey: { name: 'listPk', type: 'S' },
      sortKey: { name: 'activityKey', type: 'S' },
      nonKeyAttributes: ['summary'],
    },
  ],
  /**
   * Snapshots of one talks by transaction time (only snapshots carry `snapshotAt`): an
   * `asOf` read finds the latest one at or before its moment in one query.
   */
  localSecondaryIndexes: [{ indexName: 'byRecordedAt', sortKey: { name: 'snapshotAt', type: 'S' } }],
  stream: false,
} as const satisfies TableDefinition;

/**
 * What flows out of the log (functions/feed/, functions/webhooks/): the consumer's checkpoint
 * per talks, webhook subscriptions and their recent delivery attempts. Not derived from the
 * log (a subscription is a client's request), so apart from State; keys named apart from the
 * other tables' so that a template lookup by key schema finds exactly one table.
 */
export const feedTable = {
  id: 'Feed',
  envVar: 'FEED_TABLE',
  partitionKey: { name: 'topic', type: 'S' },
  sortKey: { name: 'entry', type: 'S' },
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
  stream: false,
  // Delivery attempts are kept for a while for GET /subscriptions/{id}/deliveries, then expire.
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

export const tableDefinitions: readonly TableDefinition[] = [eventsTable, stateTable, feedTable];
