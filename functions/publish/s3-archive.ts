import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { type CheckpointResponse, CheckpointResponse as CheckpointSchema } from '../domain/checkpoint.js';
import { type CheckpointArchive, checkpointObjectKey, latestObjectKey } from './checkpoint-archive.js';

/**
 * The archive on AWS: the Object Lock bucket of lib/talks-checkpoint-archive.ts. Every
 * version of every object is locked in compliance mode by the bucket's default retention;
 * a checkpoint's own object is written only if absent (a conditional put), and `latest/`
 * gains a version each time, each version kept and locked.
 */
export function s3Archive(client: Pick<S3Client, 'send'>, bucket: string): CheckpointArchive {
  const put = (Key: string, body: string, ifAbsent: boolean) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: body,
        ContentType: 'application/json',
        // Object Lock buckets require an integrity checksum on every put.
        ChecksumAlgorithm: 'SHA256',
        ...(ifAbsent ? { IfNoneMatch: '*' } : {}),
      }),
    );
  return {
    async lastPublished(talksId) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: latestObjectKey(talksId) }));
        return CheckpointSchema.parse(JSON.parse((await object.Body?.transformToString('utf8')) ?? ''));
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
    async publish(checkpoint: CheckpointResponse) {
      const body = `${JSON.stringify(checkpoint)}\n`;
      try {
        await put(checkpointObjectKey(checkpoint.talksId, checkpoint.treeSize), body, true);
      } catch (error) {
        // Published before (a run cut short after this put): kept as it was.
        if (!(error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412)) throw error;
      }
      await put(latestObjectKey(checkpoint.talksId), body, false);
    },
  };
}
