import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The bundle-size and init-time baseline: a Lambda that only creates the DynamoDB client
 * (document client on top) at module scope, as ours do, and issues one GetItem.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { talksId: string }) =>
  (await doc.send(new GetCommand({ TableName: process.env.STATE_TABLE, Key: { pk: event.talksId, sk: 0 }, ConsistentRead: true }))).Item ??
  null;
