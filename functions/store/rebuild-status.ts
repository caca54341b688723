import { GetCommand, PutCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { isRevisionType } from '../domain/event-catalog.js';
import { applyEvent, indexRevisions } from '../domain/project.js';
import type { StoredEvent } from '../domain/submitted-event.js';
import { initialStatus, type TalksStatus } from '../domain/talks-status.js';
import { toSnapshotRecord, toStatusRecord } from './status-codec.js';
import { readLogPages } from './read-log.js';
import type { StoreContext } from './store-context.js';

export interface RebuildProgress {
  talksDone: number;
  talksTotal: number;
  eventsRead: number;
  current?: string;
}

/**
 * The status after `version` as the store knew it then (revisions known by then applied),
 * read in pages: a revision can change any earlier development, so it needs the prefix.
 */
async function projectPrefix(ctx: StoreContext, talksId: string, version: number): Promise<TalksStatus> {
  const revisions: StoredEvent[] = [];
  for await (const page of readLogPages(ctx, talksId, { through: version })) revisions.push(...page.filter((e) => isRevisionType(e.type)));
  const index = indexRevisions(revisions);
  let status = initialStatus(talksId);
  for await (const page of readLogPages(ctx, talksId, { through: version })) for (const e of page) status = applyEvent(status, e, index);
  return status;
}

/**
 * Folds the log after `from` exactly as appends did ("live"), writing a snapshot at every
 * multiple of the interval and at every revision, so time travel stays bounded.
 */
async function foldLive(ctx: StoreContext, talksId: string, from: TalksStatus, onEvents: (n: number) => void): Promise<TalksStatus> {
  const none = indexRevisions([]);
  let status = from;
  for await (const page of readLogPages(ctx, talksId, { after: from.version })) {
    for (const event of page) {
      status = isRevisionType(event.type) ? await projectPrefix(ctx, talksId, event.version) : applyEvent(status, event, none);
      if (isRevisionType(event.type) || event.version % ctx.snapshotInterval === 0) {
        await ctx.doc.send(new PutCommand({ TableName: ctx.tables.state, Item: toSnapshotRecord(status) }));
      }
    }
    onEvents(page.length);
  }
  return status;
}

/**
 * Rebuilds one talks' status item and snapshots from its log, without blocking appends:
 * the final put only replaces a status at or below the rebuilt version; if an append
 * got in meanwhile, the rebuild folds the new events too and tries again. Appends are
 * conditional on the item's writeId, so one that read the old item retries on ours.
 */
export async function rebuildTalks(ctx: StoreContext, talksId: string, onEvents: (n: number) => void = () => {}): Promise<TalksStatus> {
  let status = await foldLive(ctx, talksId, initialStatus(talksId), onEvents);
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    try {
      await ctx.doc.send(
        new PutCommand({
          TableName: ctx.tables.state,
          Item: toStatusRecord(status, ctx.newId()),
          ConditionExpression: 'attribute_not_exists(pk) OR #version <= :rebuilt',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':rebuilt': status.version },
        }),
      );
      return status;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      status = await foldLive(ctx, talksId, status, onEvents);
    }
  }
  throw new Error(`Rebuilding ${talksId} kept losing the race with appends`);
}

/** Every talks in the log: its opening events (version 1). An admin scan, not a hot path. */
export async function allTalksIds(ctx: StoreContext): Promise<string[]> {
  const ids: string[] = [];
  let start: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await ctx.doc.send(new ScanCommand({ TableName: ctx.tables.events, FilterExpression: 'sk = :one', ExpressionAttributeValues: { ':one': 1 }, ProjectionExpression: 'pk', ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    ids.push(...(page.Items ?? []).map((i) => String(i.pk)));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return ids.sort();
}

const checkpointKey = (runId: string) => ({ pk: `rebuild#${runId}`, sk: 0 });

/**
 * Rebuilds many talks in id order, recording after each one the last id done, so a run
 * that stops (a Lambda timeout, Ctrl-C) resumes where it was with the same runId.
 */
export async function rebuildMany(ctx: StoreContext, options: { runId: string; talksIds?: readonly string[]; onProgress?: (p: RebuildProgress) => void }): Promise<RebuildProgress & { skipped: number }> {
  const ids = [...(options.talksIds ?? (await allTalksIds(ctx)))].sort();
  const checkpoint = await ctx.doc.send(new GetCommand({ TableName: ctx.tables.state, Key: checkpointKey(options.runId), ConsistentRead: true }));
  const lastDone = checkpoint.Item?.lastDone as string | undefined;
  const todo = lastDone === undefined ? ids : ids.filter((id) => id > lastDone);
  const progress: RebuildProgress = { talksDone: ids.length - todo.length, talksTotal: ids.length, eventsRead: 0 };
  for (const talksId of todo) {
    progress.current = talksId;
    options.onProgress?.(progress);
    await rebuildTalks(ctx, talksId, (n) => {
      progress.eventsRead += n;
      options.onProgress?.(progress);
    });
    progress.talksDone += 1;
    await ctx.doc.send(new PutCommand({ TableName: ctx.tables.state, Item: { ...checkpointKey(options.runId), kind: 'rebuild-checkpoint', lastDone: talksId, at: ctx.now().toISOString() } }));
    options.onProgress?.(progress);
  }
  delete progress.current;
  return { ...progress, skipped: ids.length - todo.length };
}

