import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderArchive } from '../../bin/local/folder-archive.js';
import { signCheckpoint } from '../../functions/domain/checkpoint.js';
import { witnessCheck } from '../../functions/domain/witness.js';
import { checkpointObjectKey } from '../../functions/publish/checkpoint-archive.js';
import { publishCheckpoints, witnessFailureMetric } from '../../functions/publish/publish-checkpoints.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { encodeCheckpoint, storedCheckpointOf } from '../../functions/store/tree-items.js';
import { checkpointAt, consistencyProofOf } from '../../functions/store/tree-store.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
let dir: string;
const talksId = 'published';
const logged: Record<string, unknown>[] = [];
const log = (entry: Record<string, unknown>) => void logged.push(entry);
const figure = (value: number) =>
  submitted('figure.reported', { metric: 'killed', value, unit: 'people', qualifier: 'about', originator: 'Ministry' });
const append = (count: number) =>
  appendEvents(store.ctx, { talksId, events: Array.from({ length: count }, (_, i) => figure(i)), principal: 'a' });

beforeEach(async () => {
  store = await createTestStore();
  dir = mkdtempSync(join(tmpdir(), 'talks-published-'));
  logged.length = 0;
  await appendEvents(store.ctx, { talksId, events: [opened(), figure(1), figure(2)], principal: 'a' });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('publishing checkpoints outside the tables', () => {
  it('publishes each new checkpoint once, read-only, after checking it extends the one published before', async () => {
    const archive = folderArchive(dir);
    expect(await publishCheckpoints(store.ctx, archive, log)).toMatchObject({ published: [{ talksId, treeSize: 3 }], refused: [] });
    expect(await publishCheckpoints(store.ctx, archive, log)).toMatchObject({ published: [], unchanged: 1 });
    await append(4);
    expect(await publishCheckpoints(store.ctx, archive, log)).toMatchObject({ published: [{ talksId, treeSize: 7 }] });
    expect(readdirSync(join(dir, 'checkpoints', talksId)).sort()).toEqual(['000000000003.json', '000000000007.json']);
    const file = join(dir, checkpointObjectKey(talksId, 7));
    expect(statSync(file).mode & 0o222).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(await checkpointAt(store.ctx, talksId));
    expect(await archive.lastPublished(talksId)).toEqual(await checkpointAt(store.ctx, talksId));
  });

  it('refuses, logs loudly and counts a checkpoint that does not extend the published one, even one signed with our key', async () => {
    const archive = folderArchive(dir);
    await publishCheckpoints(store.ctx, archive, log);
    await append(2);
    // An operator with the key signs another history's root at the head: a fork.
    const signer = await store.ctx.checkpoints.signer();
    const payload = { talksId, treeSize: 5, rootHash: 'ab'.repeat(32), signedAt: new Date().toISOString() };
    const jws = await signCheckpoint(signer, payload);
    const head = (await store.raw.send(new GetCommand({ TableName: store.tables.events, Key: { pk: talksId, sk: 5 } }))).Item!;
    await store.raw.send(
      new PutCommand({
        TableName: store.tables.events,
        Item: { ...head, cp: encodeCheckpoint(storedCheckpointOf(jws, signer.kid, payload.rootHash, payload.signedAt)) },
      }),
    );
    const report = await publishCheckpoints(store.ctx, archive, log);
    expect(report.published).toEqual([]);
    expect(report.refused).toEqual([
      { talksId, treeSize: 5, detail: expect.stringContaining('does not extend the published one of size 3') },
    ]);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/^WITNESS CHECK FAILED/), [witnessFailureMetric]: 1 }),
    );
    expect((await archive.lastPublished(talksId))?.treeSize).toBe(3);
  });

  it('witness check: a valid extension passes; a shrink, another talks or a bad signature do not', async () => {
    const first = await checkpointAt(store.ctx, talksId);
    await append(3);
    const second = await checkpointAt(store.ctx, talksId);
    const jwks = await store.ctx.checkpoints.jwks();
    const { path } = await consistencyProofOf(store.ctx, talksId, 3, 6);
    expect(await witnessCheck(first, second, path, jwks)).toMatchObject({ ok: true });
    expect(await witnessCheck(undefined, first, undefined, jwks)).toMatchObject({ ok: true });
    expect(await witnessCheck(second, first, [], jwks)).toMatchObject({ ok: false, detail: expect.stringContaining('shrank') });
    expect(await witnessCheck({ ...first, talksId: 'other' }, second, path, jwks)).toMatchObject({ ok: false });
    expect(await witnessCheck(first, { ...second, rootHash: 'cd'.repeat(32) }, path, jwks)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('does not verify'),
    });
    expect(await witnessCheck(first, second, path.slice(1), jwks)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('does not extend'),
    });
  });
});
