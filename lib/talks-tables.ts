import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { eventsTable, feedTable, type KeyAttribute, stateTable, type TableDefinition } from '../functions/store/table-definitions.js';

/** A deployed table together with the definition it was built from. */
export interface TalksTable {
  readonly table: Table;
  readonly definition: TableDefinition;
}

/** The tables a route can name in `RouteDefinition.tables`. */
export interface TalksTableSet {
  readonly events: TalksTable;
  readonly state: TalksTable;
  /** Checkpoints, subscriptions and delivery attempts (functions/feed, functions/webhooks). */
  readonly feed: TalksTable;
}

const attribute = ({ name, type }: KeyAttribute): Attribute => ({
  name,
  type: type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * Both tables, built only from `tableDefinitions` so the stack and the local server cannot
 * drift. Every table is retained and deletion-protected: the log is the system of record,
 * and although State is rebuildable, a rebuild is a long replay nobody wants by accident.
 */
export class TalksTables extends Construct implements TalksTableSet {
  public readonly events: TalksTable;
  public readonly state: TalksTable;
  public readonly feed: TalksTable;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.events = this.createTable(eventsTable);
    this.state = this.createTable(stateTable);
    this.feed = this.createTable(feedTable);
  }

  private createTable(definition: TableDefinition): TalksTable {
    const table = new Table(this, definition.id, {
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: definition.stream ? StreamViewType.NEW_IMAGE : undefined,
      ...(definition.timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute: definition.timeToLiveAttribute }),
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        // Only the summary the list route shows: an index write costs by projected size.
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.nonKeyAttributes],
      });
    }
    for (const index of definition.localSecondaryIndexes) {
      // The snapshot itself comes back with the query: one round trip for an asOf read.
      table.addLocalSecondaryIndex({ indexName: index.indexName, sortKey: attribute(index.sortKey), projectionType: ProjectionType.ALL });
    }
    return { table, definition };
  }
}
