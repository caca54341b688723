import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../domain/domain-errors.js';
import { isRevisionType } from '../domain/event-catalog.js';
import { applyEvent, indexRevisions, project } from '../domain/project.js';
import { validTimeOf, type StoredEvent } from '../domain/submitted-event.js';
import { initialStatus, type TalksStatus } from '../domain/talks-status.js';
import { applyCorrections } from '../domain/project.js';
import { eventKey } from './item-keys.js';
import { readLog, readLogPages } from './read-log.js';
import { readStatusItem } from './read-status.js';
import type { StoreContext } from './store-context.js';

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
  return result.Items?.[0]?.status as TalksStatus | undefined;
}

/**
 * The status right after a version: the nearest snapshot plus at most a snapshot
 * interval of events. Snapshots are also written at every submission with a revision,
 * so the events after a snapshot fold without needing the log before it; the one
 * exception (a version inside a batch that holds a revision) replays the prefix.
 */
export async function statusAtVersion(ctx: StoreContext, talksId: string, version: number, cost: ReadCost = { itemsRead: 0, roundTrips: 0 }): Promise<TalksStatus> {
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

/**
 * What the store knew at a moment (transaction time). recordedAt never decreases with
 * the version, so a binary search over versions finds the last one recorded by then:
 * log2(history) single-item reads, then statusAtVersion.
 */
export async function statusAsOf(ctx: StoreContext, talksId: string, at: string, cost: ReadCost = { itemsRead: 0, roundTrips: 0 }): Promise<TalksStatus> {
  const head = await readStatusItem(ctx, talksId);
  cost.roundTrips += 1;
  cost.itemsRead += 1;
  if (head === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
  if (head.status.updatedAt <= at) return head.status;
  let low = 0;
  let high = head.version;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const probe = await ctx.doc.send(new GetCommand({ TableName: ctx.tables.events, Key: eventKey(talksId, mid), ProjectionExpression: 'recordedAt', ConsistentRead: true }));
    cost.roundTrips += 1;
    cost.itemsRead += 1;
    const recordedAt = probe.Item?.recordedAt as string | undefined;
    if (recordedAt !== undefined && recordedAt <= at) low = mid;
    else high = mid - 1;
  }
  if (low === 0) throw new NotFoundError(`Talks ${talksId} was not yet recorded at ${at}`);
  return statusAtVersion(ctx, talksId, low, cost);
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
