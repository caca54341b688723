import { NotFoundError } from '../domain/domain-errors.js';
import { witnessCheck } from '../domain/witness.js';
import type { Log } from '../http/http-settings.js';
import { metricNamespace } from '../http/metric-names.js';
import { listTalks } from '../store/list-talks.js';
import type { StoreContext } from '../store/store-context.js';
import { checkpointAt, consistencyProofOf } from '../store/tree-store.js';
import type { CheckpointArchive } from './checkpoint-archive.js';

export interface PublishReport {
  published: { talksId: string; treeSize: number }[];
  unchanged: number;
  /** Checkpoints refused by the witness check: each one is logged as an error and counted. */
  refused: { talksId: string; treeSize: number; detail: string }[];
}

/** The metric the stack alarms on: any refusal is someone rewriting or forking a log. */
export const witnessFailureMetric = 'CheckpointWitnessFailures';

/**
 * Publishes each talks' latest checkpoint, if newer than the one published, after checking
 * it as a first witness would: its signature, and a consistency proof from the published
 * one. A refusal publishes nothing and is logged loudly (level error, and the metric the
 * stack alarms on). Run on a schedule: the publication delay is at most its interval.
 */
export async function publishCheckpoints(ctx: StoreContext, archive: CheckpointArchive, log: Log): Promise<PublishReport> {
  const report: PublishReport = { published: [], unchanged: 0, refused: [] };
  const jwks = await ctx.checkpoints.jwks();
  let cursor: string | undefined;
  do {
    const page = await listTalks(ctx, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    for (const { talksId } of page.items) {
      let next: Awaited<ReturnType<typeof checkpointAt>>;
      try {
        next = await checkpointAt(ctx, talksId);
      } catch (error) {
        // A talks stored before trees, not yet rebuilt: nothing signed to publish.
        if (error instanceof NotFoundError) continue;
        throw error;
      }
      const previous = await archive.lastPublished(talksId);
      if (previous !== undefined && previous.treeSize === next.treeSize && previous.rootHash === next.rootHash) {
        report.unchanged += 1;
        continue;
      }
      const proof =
        previous === undefined || previous.treeSize > next.treeSize
          ? undefined
          : previous.treeSize === next.treeSize
            ? []
            : (await consistencyProofOf(ctx, talksId, previous.treeSize, next.treeSize)).path;
      const verdict = await witnessCheck(previous, next, proof, jwks);
      if (!verdict.ok) {
        report.refused.push({ talksId, treeSize: next.treeSize, detail: verdict.detail });
        log({
          level: 'error',
          message: `WITNESS CHECK FAILED for ${talksId}: ${verdict.detail}; the checkpoint was not published`,
          talksId,
          treeSize: next.treeSize,
          _aws: {
            Timestamp: Date.now(),
            CloudWatchMetrics: [{ Namespace: metricNamespace, Dimensions: [[]], Metrics: [{ Name: witnessFailureMetric, Unit: 'Count' }] }],
          },
          [witnessFailureMetric]: 1,
        });
        continue;
      }
      await archive.publish(next);
      report.published.push({ talksId, treeSize: next.treeSize });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return report;
}
