import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../domain/domain-errors.js';
import { isRevisionType } from '../domain/event-catalog.js';
import { applyCorrections, applyEvent, indexRevisions, project } from '../domain/project.js';
import { maxEventsPerSubmission, type StoredEvent, validTimeOf } from '../domain/submitted-event.js';
import { initialStatus, type TalksStatus } from '../domain/talks-status.js';
import { readLog, readLogPage, readLogPages } from './read-log.js';
import { readStatusItem } from './read-status.js';
import { fromSnapshotRecord, snapshotTimeCeiling } from './status-codec.js';
import type { StoreContext } from './store-context.js';
import { stateTable } from './table-definitions.js';

/** Counts what a time-travel read cost: the bound we promise is on items read. */
export interface ReadCost {
  itemsRead: number;
  roundTrips: number;
}

/** The latest snapshot at or before a version (snapshots are sk >= 1; the status is sk 0). */
async function snapshotAtOrBefore(ctx: StoreContext, talksId: string, version: number, cost: ReadCost): Promise<TalksStatus | undefined> {
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
  cost.roundTrips += 1;
  cost.itemsRead += result.Items?.length ?? 0;
  const item = result.Items?.[0];
  return item === undefined ? undefined : fromSnapshotRecord(item);
}

/**
 * The status right after a version: the nearest snapshot plus fewer than a snapshot
 * interval of events (snapshots sit at every multiple of the interval, whatever the
 * batching). Snapshots are also written at every submission with a revision,
 * so the events after a snapshot fold without needing the log before it; the one
 * exception (a version inside a batch that holds a revision) replays the prefix.
 */
export async function statusAtVersion(
  ctx: StoreContext,
  talksId: string,
  version: number,
  cost: ReadCost = { itemsRead: 0, roundTrips: 0 },
): Promise<TalksStatus> {
  const snapshot = await snapshotAtOrBefore(ctx, talksId, version, cost);
  const from = snapshot?.version ?? 0;
  const events = await readLog(ctx, talksId, { after: from, through: version });
  cost.roundTrips += 1;
  cost.itemsRead += events.length;
  if (from + events.length < version) throw new NotFoundError(`Talks ${talksId} has no version ${version}`);
  if (events.some((e) => isRevisionType(e.type))) {
    const all = await readLog(ctx, talksId, { through: version });
    cost.roundTrips += 1;
    cost.itemsRead += all.length;
    return project(talksId, all);
  }
  const none = indexRevisions([]);
  return events.reduce((status, event) => applyEvent(status, event, none), snapshot ?? initialStatus(talksId));
}

/** The nearest snapshot recorded at or before `at` (desc) or after it (asc), by transaction time. */
async function snapshotByTime(ctx: StoreContext, talksId: string, at: string, side: 'atOrBefore' | 'after', cost: ReadCost) {
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
  cost.roundTrips += 1;
  cost.itemsRead += result.Items?.length ?? 0;
  return result.Items?.[0];
}

/**
 * What the store knew at a moment (transaction time): the latest snapshot recorded by then
 * and the next one after it (two queries on the byRecordedAt index), then only the events
 * between them, keeping those recorded by then: at most 1 + 1 + (interval - 1) items at any
 * history length, however it was batched; should snapshots be missing (a State table not yet
 * rebuilt), it replays the prefix instead of answering wrong.
 */
export async function statusAsOf(
  ctx: StoreContext,
  talksId: string,
  at: string,
  cost: ReadCost = { itemsRead: 0, roundTrips: 0 },
): Promise<TalksStatus> {
  const [before, after] = await Promise.all([
    snapshotByTime(ctx, talksId, at, 'atOrBefore', cost),
    snapshotByTime(ctx, talksId, at, 'after', cost),
  ]);
  const base = before === undefined ? initialStatus(talksId) : fromSnapshotRecord(before);
  let until = after === undefined ? undefined : Number(after.sk) - 1;
  if (until === undefined) {
    const head = await readStatusItem(ctx, talksId);
    cost.roundTrips += 1;
    cost.itemsRead += 1;
    if (head === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
    if (head.status.updatedAt <= at) return head.status;
    until = head.version;
  }
  const bound = ctx.snapshotInterval + maxEventsPerSubmission;
  const page = until > base.version ? await readLogPage(ctx, talksId, base.version, Math.min(until - base.version, bound)) : [];
  cost.roundTrips += page.length > 0 ? 1 : 0;
  cost.itemsRead += page.length;
  // recordedAt never decreases with the version: the events known then are a prefix.
  const known = page.filter((e) => e.recordedAt <= at);
  if (base.version === 0 && known.length === 0) throw new NotFoundError(`Talks ${talksId} was not yet recorded at ${at}`);
  // Neither happens while snapshots are in place (one is written at every revision too).
  if (until - base.version > bound || known.some((e) => isRevisionType(e.type))) {
    const prefix = (await readLog(ctx, talksId)).filter((e) => e.recordedAt <= at);
    cost.roundTrips += 1;
    cost.itemsRead += prefix.length;
    return project(talksId, prefix);
  }
  const none = indexRevisions([]);
  return known.reduce((status, event) => applyEvent(status, event, none), base);
}

/**
 * The state of the talks at a moment of valid time, as known now: every development that
 * happened by then (including ones reported later), with every correction and retraction
 * known today applied. Two streamed passes: revisions first, then the fold.
 */
export async function statusValidAt(ctx: StoreContext, talksId: string, at: string): Promise<TalksStatus> {
  const revisions: StoredEvent[] = [];
  let seen = 0;
  for await (const page of readLogPages(ctx, talksId)) {
    seen += page.length;
    revisions.push(...page.filter((e) => isRevisionType(e.type)));
  }
  if (seen === 0) throw new NotFoundError(`Talks ${talksId} does not exist`);
  const index = indexRevisions(revisions);
  let status = initialStatus(talksId);
  let opened = false;
  for await (const page of readLogPages(ctx, talksId)) {
    for (const event of page) {
      if (isRevisionType(event.type) || index.retracted.has(event.version)) continue;
      if (validTimeOf(applyCorrections(event, index)) > at) continue;
      if (event.type === 'talks.opened') opened = true;
      status = applyEvent(status, event, index);
    }
  }
  if (!opened) throw new NotFoundError(`Talks ${talksId} had not opened by ${at}`);
  return status;
}
