import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Where the feed keeps what it owns (the Feed table), and its clock. */
export interface FeedContext {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly now: () => Date;
}
