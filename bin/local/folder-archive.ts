import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CheckpointResponse, CheckpointResponse as CheckpointSchema } from '../../functions/domain/checkpoint.js';
import { type CheckpointArchive, checkpointObjectKey, latestObjectKey } from '../../functions/publish/checkpoint-archive.js';

/**
 * The local archive: the same keys as the S3 bucket's, as files under <data dir>/published.
 * Each checkpoint file is created once ('wx') and made read-only; the latest one is
 * replaced atomically. A folder is only as append-only as its owner's discipline: for
 * that, a newsroom copies it elsewhere (README "Verify it yourself": witnesses).
 */
export function folderArchive(root: string): CheckpointArchive {
  const path = (key: string) => join(root, key);
  return {
    async lastPublished(talksId) {
      try {
        return CheckpointSchema.parse(JSON.parse(readFileSync(path(latestObjectKey(talksId)), 'utf8')));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async publish(checkpoint: CheckpointResponse) {
      const body = `${JSON.stringify(checkpoint)}\n`;
      const file = path(checkpointObjectKey(checkpoint.talksId, checkpoint.treeSize));
      mkdirSync(dirname(file), { recursive: true });
      try {
        writeFileSync(file, body, { flag: 'wx', mode: 0o444 });
      } catch (error) {
        // Published before (a run cut short after this write): the same checkpoint, kept as it was.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const latest = path(latestObjectKey(checkpoint.talksId));
      mkdirSync(dirname(latest), { recursive: true });
      writeFileSync(`${latest}.tmp`, body);
      renameSync(`${latest}.tmp`, latest);
    },
  };
}

export const localArchiveDir = (dataDir: string) => join(dataDir, 'published');
