import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../domain/domain-errors.js';
import { foldAfterSnapshot, statusValidAt as foldValidAt, replayPrefix, statusKnownAt } from '../domain/replay-policy.js';
import { maxEventsPerSubmission } from '../domain/submission-limits.js';
import { initialStatus, type TalksStatus } from '../domain/talks-status.js';
import { readLog, readLogPage } from './read-log.js';
import { readStatusItem } from './read-status.js';
import { fromSnapshotRecord, snapshotTimeCeiling } from './status-codec.js';
import type { StoreContext } from './store-context.js';
import { stateTable } from './table-definitions.js';

/*
 * Time travel reads what the replay policy (functions/domain/replay-policy.ts) needs: the
 * nearest snapshot and the events after it. What a read costs is measured from outside,
 * by the DynamoDB meter of the tests and the bench (harness/dynamodb-meter.ts).
 */

/** The latest snapshot at or before a version (snapshots are sk >= 1; the status is sk 0). */
async function snapshotAtOrBefore(ctx: StoreContext, talksId: string, version: number): Promise<TalksStatus | undefined> {
  const result = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.tables.state,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :one AND :v',
      ExpressionAttributeValues: { ':pk': talksId, ':one': 1, ':v': version },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = result.Items?.[0];
  return item === undefined ? undefined : fromSnapshotRecord(item);
}

/**
 * The status right after a version: the nearest snapshot plus fewer than a snapshot
 * interval of events, however the history was batched (the replay policy keeps one at
 * every multiple of the interval and at every revision).
 */
export async function statusAtVersion(ctx: StoreContext, talksId: string, version: number): Promise<TalksStatus> {
  const snapshot = await snapshotAtOrBefore(ctx, talksId, version);
  const from = snapshot?.version ?? 0;
  const events = await readLog(ctx, talksId, { after: from, through: version });
  if (from + events.length < version) throw new NotFoundError(`Talks ${talksId} has no version ${version}`);
  return foldAfterSnapshot(talksId, snapshot, events) ?? replayPrefix(talksId, await readLog(ctx, talksId, { through: version }));
}

/** The nearest snapshot recorded at or before `at` (desc) or after it (asc), by transaction time. */
async function snapshotByTime(ctx: StoreContext, talksId: string, at: string, side: 'atOrBefore' | 'after') {
  const result = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.tables.state,
      IndexName: stateTable.localSecondaryIndexes[0].indexName,
      KeyConditionExpression: side === 'atOrBefore' ? 'pk = :pk AND snapshotAt <= :at' : 'pk = :pk AND snapshotAt > :at',
      // Keys are "<recordedAt>|<version>": the ceiling splits them at `at` whatever the version.
      ExpressionAttributeValues: { ':pk': talksId, ':at': snapshotTimeCeiling(at) },
      ScanIndexForward: side === 'after',
      Limit: 1,
      ConsistentRead: true,
      ...(side === 'after' ? { ProjectionExpression: 'sk' } : {}),
    }),
  );
  return result.Items?.[0];
}

/**
 * What the store knew at a moment (transaction time): the latest snapshot recorded by then
 * and the next one after it (two queries on the byRecordedAt index), then only the events
 * between them: at most 1 + 1 + (interval - 1) items at any history length, however it was
 * batched. Should snapshots be missing (a State table not yet rebuilt), it replays the
 * prefix instead of answering wrong.
 */
export async function statusAsOf(ctx: StoreContext, talksId: string, at: string): Promise<TalksStatus> {
  const [before, after] = await Promise.all([snapshotByTime(ctx, talksId, at, 'atOrBefore'), snapshotByTime(ctx, talksId, at, 'after')]);
  const base = before === undefined ? undefined : fromSnapshotRecord(before);
  const baseVersion = base?.version ?? 0;
  let until = after === undefined ? undefined : Number(after.sk) - 1;
  if (until === undefined) {
    const head = await readStatusItem(ctx, talksId);
    if (head === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
    if (head.status.updatedAt <= at) return head.status;
    until = head.version;
  }
  const bound = ctx.snapshotInterval + maxEventsPerSubmission;
  const page = until > baseVersion ? await readLogPage(ctx, talksId, baseVersion, Math.min(until - baseVersion, bound)) : [];
  if (base === undefined && !page.some((e) => e.recordedAt <= at))
    throw new NotFoundError(`Talks ${talksId} was not yet recorded at ${at}`);
  const replayKnownPrefix = async () =>
    replayPrefix(
      talksId,
      (await readLog(ctx, talksId)).filter((e) => e.recordedAt <= at),
    );
  if (until - baseVersion > bound) return replayKnownPrefix();
  return statusKnownAt(talksId, base ?? initialStatus(talksId), page, at) ?? replayKnownPrefix();
}

/**
 * The state of the talks at a moment of valid time, as known now (see the replay policy).
 * One read of the log: every revision must be known before the fold starts.
 */
export async function statusValidAt(ctx: StoreContext, talksId: string, at: string): Promise<TalksStatus> {
  const log = await readLog(ctx, talksId);
  if (log.length === 0) throw new NotFoundError(`Talks ${talksId} does not exist`);
  const status = foldValidAt(talksId, log, at);
  if (status === undefined) throw new NotFoundError(`Talks ${talksId} had not opened by ${at}`);
  return status;
}
