import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TalksStatus } from '../domain/talks-status.js';
import { fromSnapshotRecord, toSnapshotRecord } from '../store/status-codec.js';
import type { FeedPosition } from './contiguity.js';
import type { FeedContext } from './feed-context.js';

/**
 * The consumer's checkpoint of one talks: the last version every sink accepted, its hash,
 * and the status right after it, so that the next event's summary is one fold away instead
 * of a time-travel read (gzipped as the State table keeps it: one write unit for most talks).
 */
export interface FeedCheckpoint extends FeedPosition {
  readonly talksId: string;
  readonly status: TalksStatus;
}

export const checkpointKey = (talksId: string, consumer: string) => ({ topic: `talks#${talksId}`, entry: `checkpoint#${consumer}` });

export async function readCheckpoint(ctx: FeedContext, consumer: string, talksId: string): Promise<FeedCheckpoint | undefined> {
  const result = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: checkpointKey(talksId, consumer), ConsistentRead: true }));
  const item = result.Item;
  if (item === undefined) return undefined;
  return { talksId, version: Number(item.version), headHash: String(item.headHash), status: fromSnapshotRecord(item) };
}

/**
 * Moves the checkpoint forward, never back: two consumers of one talks (the stream and a
 * catch-up sweep) may race, and the one further ahead wins. Returns false when another was
 * already at or past this version (what this one delivered was then delivered twice: at
 * least once, as promised).
 */
export async function advanceCheckpoint(ctx: FeedContext, consumer: string, checkpoint: FeedCheckpoint): Promise<boolean> {
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: {
          ...checkpointKey(checkpoint.talksId, consumer),
          kind: 'checkpoint',
          talksId: checkpoint.talksId,
          version: checkpoint.version,
          headHash: checkpoint.headHash,
          statusZ: toSnapshotRecord(checkpoint.status).statusZ,
          checkpointedAt: ctx.now().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(topic) OR version < :v',
        ExpressionAttributeValues: { ':v': checkpoint.version },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
