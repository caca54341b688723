import type { CheckpointResponse } from '../domain/checkpoint.js';

/**
 * An append-only place outside the tables where checkpoints are published: S3 with Object
 * Lock in compliance mode on AWS, a folder in the data dir locally. Each checkpoint is one
 * object, never overwritten (`checkpoints/<talksId>/<treeSize, 12 digits>.json`), so an
 * outsider can list and fetch them; the last one published per talks is what the next
 * publication is checked against.
 */
export interface CheckpointArchive {
  lastPublished(talksId: string): Promise<CheckpointResponse | undefined>;
  publish(checkpoint: CheckpointResponse): Promise<void>;
}

export const checkpointObjectKey = (talksId: string, treeSize: number) =>
  `checkpoints/${talksId}/${String(treeSize).padStart(12, '0')}.json`;
/** The latest published checkpoint of a talks: a new version of this object each time (versioned, each version locked). */
export const latestObjectKey = (talksId: string) => `latest/${talksId}.json`;
