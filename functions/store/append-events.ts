import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AppendDecision, decideAppend, type IdentifiedEvent, identifySubmission, needsLog } from '../domain/decide-append.js';
import { ConflictError, DomainError } from '../domain/domain-errors.js';
import type { StoredEvent, SubmittedEvent } from '../domain/submitted-event.js';
import type { TalksStatus } from '../domain/talks-status.js';
import { fromIdempotencyItem, idempotencyKey, type StatusItem, toEventItem, toIdempotencyItem } from './item-keys.js';
import { batchGetAll, readEvents, readLog } from './read-log.js';
import { readStatusItem } from './read-status.js';
import { fromStatusRecord, toSnapshotRecord, toStatusRecord } from './status-codec.js';
import type { StoreContext } from './store-context.js';
import { ContentionError } from './store-errors.js';
import { type CancellationReason, cancellationReasons } from './transaction-cancellation.js';
import { eventTreeAttributes, statusTreeAttributes, treeStateOf } from './tree-items.js';
import { signHead } from './tree-store.js';

export interface AppendRequest {
  talksId: string;
  events: readonly SubmittedEvent[];
  /** From If-Match: the version the client last saw. */
  expectedVersion?: number;
  principal: string;
}

export interface AppendResult {
  /** `replayed` when every event was already stored (nothing written). */
  outcome: 'appended' | 'replayed';
  /** In submission order, replayed ones included. */
  events: StoredEvent[];
  replayedEventIds: string[];
  statusVersion: number;
  status?: TalksStatus;
  attempts: number;
}

/** A submitted event on its way in; a replay once its id is found stored with the same content. */
interface Pending extends IdentifiedEvent {
  replayedVersion?: number;
}

/**
 * Appends a submission in one TransactWriteItems: each event (put if absent), each event
 * id's idempotency record (put if absent), and the status item (put if its version is the
 * one read). The log and the status therefore never disagree, and two writers can never
 * both take a version. One read and one transaction on the common path.
 */
export function appendEvents(ctx: StoreContext, request: AppendRequest): Promise<AppendResult> {
  return ctx.appendTurns === undefined
    ? appendWithRetries(ctx, request)
    : ctx.appendTurns.take(request.talksId, () => appendWithRetries(ctx, request));
}

async function appendWithRetries(ctx: StoreContext, request: AppendRequest): Promise<AppendResult> {
  const pending: Pending[] = identifySubmission(request.events, ctx.newId).map((identified) => ({ ...identified }));
  const giveUpAt = Date.now() + (ctx.appendRetryBudgetMs ?? 5_000);
  let current = await readStatusItem(ctx, request.talksId, true);
  for (let attempt = 1; attempt <= ctx.maxAppendAttempts && (attempt === 1 || Date.now() < giveUpAt); attempt += 1) {
    const toWrite = pending.filter((p) => p.replayedVersion === undefined);
    if (toWrite.length === 0) return replayResult(ctx, request.talksId, pending, current?.version ?? 0, attempt);
    let decision: AppendDecision;
    try {
      // A revision can change any earlier development's effect: the decision needs the log (rare).
      const log = needsLog(toWrite) ? await readLog(ctx, request.talksId) : undefined;
      decision = decideAppend(
        {
          talksId: request.talksId,
          events: toWrite,
          ...(request.expectedVersion === undefined ? {} : { expectedVersion: request.expectedVersion }),
        },
        current?.status,
        {
          now: ctx.now(),
          principal: request.principal,
          snapshotInterval: ctx.snapshotInterval,
          ...(log === undefined ? {} : { log }),
          ...treeContext(current),
        },
      );
    } catch (error) {
      // A resent submission can break a rule only because it is already stored (its
      // opening, say, or the version its If-Match named): the idempotency records tell,
      // on this error path only.
      if (error instanceof DomainError && (await markReplays(ctx, request, toWrite)) > 0) continue;
      throw error;
    }
    const { stored, status } = decision;
    // Signed after deciding, before writing: a race re-decides and re-signs on the next turn.
    const head = decision.tree === undefined ? undefined : await signHead(ctx, request.talksId, decision.tree.size, decision.tree.root);
    try {
      await ctx.doc.send(new TransactWriteCommand({ TransactItems: transactItems(ctx, current, decision, toWrite, head) }));
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons === undefined) throw error;
      current = await settleCancellation(ctx, request, reasons, toWrite, current);
      await backoff(attempt);
      continue;
    }
    const replayed = pending.filter((p) => p.replayedVersion !== undefined);
    const earlier = await readEvents(
      ctx,
      request.talksId,
      replayed.map((p) => p.replayedVersion as number),
    );
    // Lower-cased: an event stored before ids were normalised keeps its original spelling.
    const byId = new Map([...stored, ...earlier].map((e) => [e.eventId.toLowerCase(), e]));
    return {
      outcome: 'appended',
      events: pending.map((p) => byId.get(p.event.eventId) as StoredEvent),
      replayedEventIds: replayed.map((p) => p.event.eventId),
      statusVersion: status.version,
      status,
      attempts: attempt,
    };
  }
  throw new ContentionError(`Talks ${request.talksId} is too busy right now: nothing was written; retry shortly`);
}

/** The frontier the decision extends; a talks whose tree was never built (stored before trees) gets none. */
function treeContext(current: StatusItem | undefined): { frontier?: readonly Uint8Array[] } {
  const tree = current === undefined ? undefined : treeStateOf(current);
  return tree === undefined ? {} : { frontier: tree.frontier };
}

function transactItems(
  ctx: StoreContext,
  current: StatusItem | undefined,
  decision: AppendDecision,
  toWrite: Pending[],
  head?: Uint8Array,
) {
  const { stored, status, snapshots, tree } = decision;
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [];
  stored.forEach((event, i) => {
    // The nodes the event's leaf completes ride in its item, and the head's checkpoint in the head's.
    const treeAttributes =
      tree === undefined ? {} : eventTreeAttributes(tree.completed[i] ?? [], i === stored.length - 1 ? head : undefined);
    items.push({
      Put: {
        TableName: ctx.tables.events,
        Item: { ...toEventItem(event), ...treeAttributes },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    const record = toIdempotencyItem({
      eventId: event.eventId,
      talksId: event.talksId,
      version: event.version,
      contentHash: (toWrite[i] as Pending).contentHash,
    });
    items.push({
      Put: {
        TableName: ctx.tables.events,
        Item: record,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  });
  items.push({
    Put: {
      TableName: ctx.tables.state,
      Item: {
        ...toStatusRecord(status, ctx.newId()),
        ...(tree === undefined
          ? {}
          : statusTreeAttributes(tree.frontier, (current === undefined ? undefined : treeStateOf(current))?.treeBase ?? 0)),
      },
      ...(current === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#version = :read AND #writeId = :writeId',
            ExpressionAttributeNames: { '#version': 'version', '#writeId': 'writeId' },
            ExpressionAttributeValues: { ':read': current.version, ':writeId': current.writeId },
          }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  });
  for (const snapshot of snapshots) items.push({ Put: { TableName: ctx.tables.state, Item: toSnapshotRecord(snapshot) } });
  return items;
}

/**
 * Reads what a cancelled transaction says: an event id already stored (same content: a
 * replay, dropped from the next attempt; other content: a conflict), or a version race
 * (the status item as it is now came back with the cancellation: no extra read).
 */
async function settleCancellation(
  ctx: StoreContext,
  request: AppendRequest,
  reasons: CancellationReason[],
  toWrite: Pending[],
  current: StatusItem | undefined,
): Promise<StatusItem | undefined> {
  toWrite.forEach((p, i) => {
    const idem = reasons[i * 2 + 1];
    if (idem?.code !== 'ConditionalCheckFailed') return;
    const old = fromIdempotencyItem(idem.item as Record<string, unknown> | undefined);
    if (old !== undefined && old.contentHash === p.contentHash && old.talksId === request.talksId) {
      p.replayedVersion = old.version;
      return;
    }
    throw new ConflictError('event-id-reused', `Event id ${p.event.eventId} is already stored with different content`, {
      eventId: p.event.eventId,
      ...(old === undefined ? {} : { talksId: old.talksId, version: old.version }),
    });
  });
  const statusReason = reasons[toWrite.length * 2];
  if (statusReason?.code === 'ConditionalCheckFailed' && statusReason.item !== undefined) return fromStatusRecord(statusReason.item, true);
  const onlyReplays = reasons.every(
    (r, i) => r.code === 'None' || (r.code === 'ConditionalCheckFailed' && i % 2 === 1 && i < toWrite.length * 2),
  );
  return onlyReplays ? current : readStatusItem(ctx, request.talksId, true);
}

/** Marks the events whose ids are already stored with the same content; counts them. */
async function markReplays(ctx: StoreContext, request: AppendRequest, toWrite: Pending[]): Promise<number> {
  const found = await batchGetAll(
    ctx,
    ctx.tables.events,
    toWrite.map((p) => idempotencyKey(p.event.eventId)),
  );
  const records = new Map(found.flatMap((item) => fromIdempotencyItem(item) ?? []).map((r) => [r.pk, r]));
  let marked = 0;
  for (const p of toWrite) {
    const record = records.get(idempotencyKey(p.event.eventId).pk);
    if (record === undefined) continue;
    if (record.contentHash !== p.contentHash || record.talksId !== request.talksId) {
      throw new ConflictError('event-id-reused', `Event id ${p.event.eventId} is already stored with different content`, {
        eventId: p.event.eventId,
      });
    }
    p.replayedVersion = record.version;
    marked += 1;
  }
  return marked;
}

async function replayResult(
  ctx: StoreContext,
  talksId: string,
  pending: Pending[],
  statusVersion: number,
  attempts: number,
): Promise<AppendResult> {
  const stored = await readEvents(
    ctx,
    talksId,
    pending.map((p) => p.replayedVersion as number),
  );
  const byVersion = new Map(stored.map((e) => [e.version, e]));
  return {
    outcome: 'replayed',
    events: pending.map((p) => byVersion.get(p.replayedVersion as number) as StoredEvent),
    replayedEventIds: pending.map((p) => p.event.eventId),
    statusVersion,
    attempts,
  };
}

/** Full jitter, capped: concurrent reporters spread out instead of colliding again. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));
