import { isRevisionType } from '../domain/event-catalog.js';
import { foldLive } from '../domain/replay-policy.js';
import type { StoredEvent } from '../domain/submitted-event.js';
import { initialStatus, type TalksStatus } from '../domain/talks-status.js';
import type { Log } from '../http/http-settings.js';
import { summarize } from '../store/item-keys.js';
import { listTalks } from '../store/list-talks.js';
import { readLogPages } from '../store/read-log.js';
import type { StoreContext } from '../store/store-context.js';
import { statusAtVersion } from '../store/time-travel.js';
import { advanceCheckpoint, type FeedCheckpoint, readCheckpoint } from './checkpoints.js';
import { classifyArrival } from './contiguity.js';
import type { FeedChange, FeedSink } from './feed-change.js';
import type { FeedContext } from './feed-context.js';

/** A stored event whose link to the one before it does not match what the consumer saw. */
export class FeedIntegrityError extends Error {
  override readonly name = 'FeedIntegrityError';
}

export interface FeedConsumerOptions {
  readonly store: StoreContext;
  readonly feed: FeedContext;
  /** Every downstream path; each change goes to all of them before the checkpoint moves. */
  readonly sinks: readonly FeedSink[];
  /** Names the checkpoints; one consumer per deployment shares them (the stream and the sweep). */
  readonly name?: string;
  /** During a long catch-up the checkpoint is written every this many changes (bounds redelivery). */
  readonly checkpointEvery?: number;
  /** Talks handled at once in one batch; each talks is always handled in order. */
  readonly concurrency?: number;
  readonly log?: Log;
}

export interface ConsumeReport {
  delivered: number;
  replayed: number;
  duplicates: number;
  /** Talks whose changes could not all be handed over; their checkpoint stays where it was last written. */
  failed: Map<string, Error>;
}

const emptyReport = (): ConsumeReport => ({ delivered: 0, replayed: 0, duplicates: 0, failed: new Map() });

/**
 * The one consumer of the log every downstream path shares (EventBridge, webhooks, live
 * updates), the same on AWS (the Events stream through a Lambda event source mapping) and
 * locally (DynamoDB Local's stream, polled by the local server). Per talks, in version
 * order, at least once: it drops what it has already handed over, fills any gap from the
 * Events table (marked `replayed`), refuses a broken link, and computes the status summary
 * after each event by folding it onto the status it checkpointed.
 */
export class FeedConsumer {
  private readonly name: string;
  private readonly checkpointEvery: number;
  private readonly concurrency: number;

  constructor(private readonly options: FeedConsumerOptions) {
    this.name = options.name ?? 'feed';
    this.checkpointEvery = options.checkpointEvery ?? 100;
    this.concurrency = options.concurrency ?? 8;
  }

  /** Events as the stream delivered them (any talks, any order across talks). */
  async consume(events: readonly StoredEvent[]): Promise<ConsumeReport> {
    const byTalks = new Map<string, StoredEvent[]>();
    for (const event of events) {
      const list = byTalks.get(event.talksId) ?? [];
      list.push(event);
      byTalks.set(event.talksId, list);
    }
    const report = emptyReport();
    const queue = [...byTalks];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [talksId, list] = next;
        await this.guarded(report, talksId, () =>
          this.consumeTalks(
            talksId,
            list.sort((a, b) => a.version - b.version),
            report,
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    return report;
  }

  /** Hands over everything of one talks after its checkpoint (through `through`), from the log. */
  async catchUp(talksId: string, through?: number): Promise<ConsumeReport> {
    const report = emptyReport();
    await this.guarded(report, talksId, async () => {
      const checkpoint = await readCheckpoint(this.options.feed, this.name, talksId);
      await this.replayFromLog(talksId, checkpoint, through, report);
    });
    return report;
  }

  /**
   * Every talks whose checkpoint is behind its status: what a consumer down longer than the
   * stream's 24 hours would otherwise never see. Run at start (locally) and on a schedule (AWS).
   */
  async sweep(): Promise<ConsumeReport> {
    const report = emptyReport();
    let cursor: string | undefined;
    do {
      const page = await listTalks(this.options.store, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
      for (const summary of page.items) {
        const checkpoint = await readCheckpoint(this.options.feed, this.name, summary.talksId);
        if ((checkpoint?.version ?? 0) >= summary.version) continue;
        const one = await this.catchUp(summary.talksId, summary.version);
        report.delivered += one.delivered;
        report.replayed += one.replayed;
        for (const [id, error] of one.failed) report.failed.set(id, error);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return report;
  }

  private async guarded(report: ConsumeReport, talksId: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      report.failed.set(talksId, error as Error);
      this.options.log?.({ level: 'error', message: 'feed: a change was not handed over', talksId, error: String(error) });
    }
  }

  private async consumeTalks(talksId: string, events: readonly StoredEvent[], report: ConsumeReport): Promise<void> {
    const initial = await readCheckpoint(this.options.feed, this.name, talksId);
    let checkpoint = initial;
    for (const event of events) {
      const arrival = classifyArrival(checkpoint, event);
      if (arrival.kind === 'seen') {
        report.duplicates += 1;
        continue;
      }
      if (arrival.kind === 'gap') checkpoint = await this.replayFromLog(talksId, checkpoint, arrival.before - 1, report);
      checkpoint = await this.handOver(checkpoint, talksId, event, false);
      report.delivered += 1;
    }
    if (checkpoint !== undefined && checkpoint.version > (initial?.version ?? 0))
      await advanceCheckpoint(this.options.feed, this.name, checkpoint);
  }

  /** Reads the log after the checkpoint, page by page, handing each event over as replayed. */
  private async replayFromLog(
    talksId: string,
    from: FeedCheckpoint | undefined,
    through: number | undefined,
    report: ConsumeReport,
  ): Promise<FeedCheckpoint | undefined> {
    let checkpoint = from;
    let sinceWrite = 0;
    const pages = readLogPages(this.options.store, talksId, {
      after: from?.version ?? 0,
      ...(through === undefined ? {} : { through }),
      pageSize: this.checkpointEvery,
    });
    for await (const page of pages) {
      for (const event of page) {
        checkpoint = await this.handOver(checkpoint, talksId, event, true);
        report.delivered += 1;
        report.replayed += 1;
        sinceWrite += 1;
      }
      if (checkpoint !== undefined && sinceWrite >= this.checkpointEvery) {
        await advanceCheckpoint(this.options.feed, this.name, checkpoint);
        sinceWrite = 0;
      }
    }
    if (checkpoint !== undefined && sinceWrite > 0) await advanceCheckpoint(this.options.feed, this.name, checkpoint);
    return checkpoint;
  }

  private async handOver(
    checkpoint: FeedCheckpoint | undefined,
    talksId: string,
    event: StoredEvent,
    replayed: boolean,
  ): Promise<FeedCheckpoint> {
    const arrival = classifyArrival(checkpoint, event);
    if (arrival.kind !== 'next')
      throw new FeedIntegrityError(
        `talks ${talksId}: version ${event.version} cannot follow version ${checkpoint?.version ?? 0} (${arrival.kind}${arrival.kind === 'broken' ? `: ${arrival.reason}` : ''})`,
      );
    const status = await this.statusAfter(checkpoint?.status ?? initialStatus(talksId), event);
    const change: FeedChange = { talksId, version: event.version, headHash: event.hash, event, summary: summarize(status), replayed };
    await Promise.all(this.options.sinks.map((sink) => sink.deliver(change)));
    return { talksId, version: event.version, headHash: event.hash, status };
  }

  /**
   * A development folds onto the status before it; a revision can change any earlier
   * effect, so its status is read as the store keeps it (a snapshot is due at every revision).
   */
  private async statusAfter(before: TalksStatus, event: StoredEvent): Promise<TalksStatus> {
    if (isRevisionType(event.type)) return statusAtVersion(this.options.store, event.talksId, event.version);
    return foldLive(before, event);
  }
}
