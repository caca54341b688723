import { GetCommand, PutCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { isRevisionType } from '../domain/event-catalog.js';
import { foldLive, LogReplay, snapshotDue } from '../domain/replay-policy.js';
import type { StoredEvent } from '../domain/submitted-event.js';
import { initialStatus, type TalksStatus } from '../domain/talks-status.js';
import { treeForRebuild } from './build-tree.js';
import { snapshotKey } from './item-keys.js';
import { readLogPages } from './read-log.js';
import { fromSnapshotRecord, toSnapshotRecord, toStatusRecord } from './status-codec.js';
import type { StoreContext } from './store-context.js';

export interface RebuildProgress {
  talksDone: number;
  talksTotal: number;
  eventsRead: number;
  current?: string;
  /** Where a resumed run picked up inside a talks it had not finished. */
  resumedFrom?: { talksId: string; version: number };
}

/**
 * The status after `version` as the store knew it then (revisions known by then applied),
 * streamed in pages: the replay needs every revision of the prefix before it folds.
 */
async function replayPrefixInPages(ctx: StoreContext, talksId: string, version: number): Promise<TalksStatus> {
  const revisions: StoredEvent[] = [];
  for await (const page of readLogPages(ctx, talksId, { through: version })) revisions.push(...page.filter((e) => isRevisionType(e.type)));
  const replay = new LogReplay(talksId, revisions);
  for await (const page of readLogPages(ctx, talksId, { through: version })) for (const e of page) replay.push(e);
  return replay.status;
}

/**
 * Folds the log after `from` exactly as appends did, by the replay policy, storing the
 * snapshots it says are due, so time travel stays bounded.
 */
async function foldAndSnapshot(ctx: StoreContext, talksId: string, from: TalksStatus, hooks: RebuildHooks): Promise<TalksStatus> {
  let status = from;
  for await (const page of readLogPages(ctx, talksId, { after: from.version })) {
    for (const event of page) {
      status = isRevisionType(event.type) ? await replayPrefixInPages(ctx, talksId, event.version) : foldLive(status, event);
      if (snapshotDue(event, ctx.snapshotInterval)) {
        await ctx.doc.send(new PutCommand({ TableName: ctx.tables.state, Item: toSnapshotRecord(status) }));
        await hooks.onSnapshot?.(status);
      }
    }
    hooks.onEvents?.(page.length);
  }
  return status;
}

export interface RebuildHooks {
  onEvents?: (n: number) => void;
  /** After each snapshot is stored: a run records it to resume from there. */
  onSnapshot?: (status: TalksStatus) => Promise<void>;
}

/**
 * Rebuilds one talks' status item and snapshots from its log, without blocking appends:
 * the final put only replaces a status at or below the rebuilt version; if an append
 * got in meanwhile, the rebuild folds the new events too and tries again. Appends are
 * conditional on the item's writeId, so one that read the old item retries on ours.
 */
export async function rebuildTalks(
  ctx: StoreContext,
  talksId: string,
  hooks: RebuildHooks = {},
  from: TalksStatus = initialStatus(talksId),
): Promise<TalksStatus> {
  let status = await foldAndSnapshot(ctx, talksId, from, hooks);
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    try {
      await ctx.doc.send(
        new PutCommand({
          TableName: ctx.tables.state,
          Item: { ...toStatusRecord(status, ctx.newId()), ...(await treeForRebuild(ctx, talksId, status)) },
          ConditionExpression: 'attribute_not_exists(pk) OR #version <= :rebuilt',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':rebuilt': status.version },
        }),
      );
      return status;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      status = await foldAndSnapshot(ctx, talksId, status, hooks);
    }
  }
  throw new Error(`Rebuilding ${talksId} kept losing the race with appends`);
}

/** Every talks in the log: its opening events (version 1). An admin scan, not a hot path. */
export async function allTalksIds(ctx: StoreContext): Promise<string[]> {
  const ids: string[] = [];
  let start: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await ctx.doc.send(
      new ScanCommand({
        TableName: ctx.tables.events,
        FilterExpression: 'sk = :one',
        ExpressionAttributeValues: { ':one': 1 },
        ProjectionExpression: 'pk',
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    ids.push(...(page.Items ?? []).map((i) => String(i.pk)));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return ids.sort();
}

const checkpointKey = (runId: string) => ({ pk: `rebuild#${runId}`, sk: 0 });

interface Checkpoint {
  /** The last talks finished, in id order. */
  lastDone?: string;
  /** The talks in progress and its last snapshot this run stored. */
  current?: string;
  currentVersion?: number;
}

/**
 * Rebuilds many talks in id order. The run records the last talks it finished and, inside
 * the one in progress, the last snapshot it stored, so a run that stops (a Lambda timeout,
 * Ctrl-C) resumes with the same runId at that snapshot rather than at the talks' start.
 */
export async function rebuildMany(
  ctx: StoreContext,
  options: { runId: string; talksIds?: readonly string[]; onProgress?: (p: RebuildProgress) => void },
): Promise<RebuildProgress & { skipped: number }> {
  const ids = [...(options.talksIds ?? (await allTalksIds(ctx)))].sort();
  const key = checkpointKey(options.runId);
  const checkpoint = ((await ctx.doc.send(new GetCommand({ TableName: ctx.tables.state, Key: key, ConsistentRead: true }))).Item ??
    {}) as Checkpoint;
  let { lastDone } = checkpoint;
  const todo = lastDone === undefined ? ids : ids.filter((id) => id > (lastDone as string));
  const progress: RebuildProgress = { talksDone: ids.length - todo.length, talksTotal: ids.length, eventsRead: 0 };
  const record = (fields: Checkpoint) =>
    ctx.doc.send(
      new PutCommand({ TableName: ctx.tables.state, Item: { ...key, kind: 'rebuild-checkpoint', ...fields, at: ctx.now().toISOString() } }),
    );
  for (const talksId of todo) {
    progress.current = talksId;
    const from =
      checkpoint.current === talksId && checkpoint.currentVersion !== undefined
        ? await storedSnapshot(ctx, talksId, checkpoint.currentVersion)
        : undefined;
    if (from !== undefined) progress.resumedFrom = { talksId, version: from.version };
    options.onProgress?.(progress);
    const hooks: RebuildHooks = {
      onEvents: (n) => {
        progress.eventsRead += n;
        options.onProgress?.(progress);
      },
      onSnapshot: async (status) => {
        await record({ ...(lastDone === undefined ? {} : { lastDone }), current: talksId, currentVersion: status.version });
      },
    };
    await rebuildTalks(ctx, talksId, hooks, from);
    progress.talksDone += 1;
    lastDone = talksId;
    await record({ lastDone });
    options.onProgress?.(progress);
  }
  delete progress.current;
  return { ...progress, skipped: ids.length - todo.length };
}

async function storedSnapshot(ctx: StoreContext, talksId: string, version: number): Promise<TalksStatus | undefined> {
  const item = (
    await ctx.doc.send(new GetCommand({ TableName: ctx.tables.state, Key: snapshotKey(talksId, version), ConsistentRead: true }))
  ).Item;
  return item === undefined ? undefined : fromSnapshotRecord(item);
}
