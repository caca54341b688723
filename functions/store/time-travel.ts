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
 * (one query on the byRecordedAt index), then one query of the events after it through the
 * next multiple of the interval. The replay policy keeps a snapshot there, recorded after
 * the moment (else it would be the one found), so the events known then come before it;
 * that boundary event is read too, as the proof (recordedAt never decreases with the
 * version): one snapshot + at most an interval of events, however the history was
 * batched. Should the boundary event be known by then, snapshots are missing (a State
 * table not yet rebuilt, or snapshots kept under another interval), and the read falls
 * back to finding the next snapshot by time.
 */
export async function statusAsOf(ctx: StoreContext, talksId: string, at: string): Promise<TalksStatus> {
  const before = await snapshotByTime(ctx, talksId, at, 'atOrBefore');
  const base = before === undefined ? undefined : fromSnapshotRecord(before);
  const baseVersion = base?.version ?? 0;
  const boundary = (Math.floor(baseVersion / ctx.snapshotInterval) + 1) * ctx.snapshotInterval;
  const events = await readLog(ctx, talksId, { after: baseVersion, through: boundary });
  const last = events.at(-1);
  if (base === undefined && last === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
  if (last !== undefined && last.version === boundary && last.recordedAt <= at) return statusAsOfBySnapshotTimes(ctx, talksId, at, base);
  if (base === undefined && !events.some((e) => e.recordedAt <= at))
    throw new NotFoundError(`Talks ${talksId} was not yet recorded at ${at}`);
  return statusKnownAt(talksId, base ?? initialStatus(talksId), events, at) ?? replayKnownPrefix(ctx, talksId, at);
}

const replayKnownPrefix = async (ctx: StoreContext, talksId: string, at: string) =>
  replayPrefix(
    talksId,
    (await readLog(ctx, talksId)).filter((e) => e.recordedAt <= at),
  );

/**
 * asOf where snapshots are missing: the next snapshot recorded after the moment (or the
 * status item) bounds the events to fold; a gap longer than a submission past the interval
 * replays the prefix instead of answering wrong.
 */
async function statusAsOfBySnapshotTimes(
  ctx: StoreContext,
  talksId: string,
  at: string,
  base: TalksStatus | undefined,
): Promise<TalksStatus> {
  const after = await snapshotByTime(ctx, talksId, at, 'after');
  const baseVersion = base?.version ?? 0;
  let until = after === undefined ? undefined : Number(after.sk) - 1;
  if (until === undefined) {
    const head = await readStatusItem(ctx, talksId);
    if (head === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
    if (head.status.updatedAt <= at) return head.status;
    until = head.version;
  }
  const bound = ctx.snapshotInterval + maxEventsPerSubmission;
  if (until - baseVersion > bound) return replayKnownPrefix(ctx, talksId, at);
  const page = until > baseVersion ? await readLogPage(ctx, talksId, baseVersion, until - baseVersion) : [];
  return statusKnownAt(talksId, base ?? initialStatus(talksId), page, at) ?? replayKnownPrefix(ctx, talksId, at);
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
