import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyCheckpointResponse } from '../../functions/domain/checkpoint.js';
import { MemoryTree } from '../../functions/domain/memory-tree.js';
import { eventLeafHash, rootHash, verifyConsistency, verifyInclusion } from '../../functions/domain/merkle-tree.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { auditTalks } from '../../functions/store/audit-log.js';
import { toEventItem } from '../../functions/store/item-keys.js';
import { readLog } from '../../functions/store/read-log.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { rebuildTalks } from '../../functions/store/rebuild-status.js';
import { toStatusRecord } from '../../functions/store/status-codec.js';
import { checkpointAt, consistencyProofOf, inclusionProofOf } from '../../functions/store/tree-store.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
const talksId = 'stored-before-trees';
const figure = (value: number) =>
  submitted('figure.reported', { metric: 'killed', value, unit: 'people', qualifier: 'about', originator: 'Ministry' });
const unhex = (hex: string) => Buffer.from(hex, 'hex');

/** A talks as the store kept it before trees: events without tree attributes, a status item without a frontier. */
beforeEach(async () => {
  store = await createTestStore();
  await appendEvents(store.ctx, { talksId, events: [opened(), ...Array.from({ length: 12 }, (_, i) => figure(i))], principal: 'a' });
  await appendEvents(store.ctx, { talksId, events: Array.from({ length: 8 }, (_, i) => figure(50 + i)), principal: 'a' });
  for (const event of await readLog(store.ctx, talksId))
    await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: toEventItem(event) }));
  const item = (await readStatusItem(store.ctx, talksId))!;
  await store.raw.send(new PutCommand({ TableName: store.tables.state, Item: toStatusRecord(item.status, 'old') }));
});

async function expectProofsHold(size: number) {
  const log = await readLog(store.ctx, talksId);
  const tree = new MemoryTree(log.map((e) => eventLeafHash(e.hash)));
  const root = rootHash(tree, size);
  for (let version = 1; version <= size; version += 1) {
    const { path } = await inclusionProofOf(store.ctx, talksId, version, size);
    expect(
      verifyInclusion(eventLeafHash(log[version - 1]!.hash), version - 1, size, path.map(unhex), root),
      `inclusion ${version}/${size}`,
    ).toBe(true);
  }
  for (let from = 1; from <= size; from += 3) {
    const { path } = await consistencyProofOf(store.ctx, talksId, from, size);
    expect(verifyConsistency(from, size, path.map(unhex), rootHash(tree, from), root), `consistency ${from}→${size}`).toBe(true);
  }
}

describe('a talks stored before trees', () => {
  it('has no checkpoint, and the audit says no version is covered', async () => {
    await expect(checkpointAt(store.ctx, talksId)).rejects.toThrow(/no Merkle tree yet/);
    const report = await auditTalks(store.ctx, talksId);
    expect(report.checkpoints).toMatchObject({ latest: null, coveredThrough: 0, firstUncovered: 1 });
    expect(report.ok).toBe(false);
  });

  it('gets its tree built and its head signed by the rebuild, and appends after it extend the same tree', async () => {
    await rebuildTalks(store.ctx, talksId);
    const checkpoint = await checkpointAt(store.ctx, talksId);
    expect(checkpoint.treeSize).toBe(21);
    expect(await verifyCheckpointResponse(checkpoint, await store.ctx.checkpoints.jwks())).toMatchObject({ ok: true });
    await expectProofsHold(21);
    expect((await auditTalks(store.ctx, talksId)).checkpoints).toMatchObject({ coveredThrough: 21, firstUncovered: null });

    await appendEvents(store.ctx, { talksId, events: Array.from({ length: 11 }, (_, i) => figure(90 + i)), principal: 'a' });
    expect((await checkpointAt(store.ctx, talksId)).treeSize).toBe(32);
    expect((await checkpointAt(store.ctx, talksId, 21)).rootHash).toBe(checkpoint.rootHash);
    await expectProofsHold(32);
    const report = await auditTalks(store.ctx, talksId);
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toMatchObject({ latest: { treeSize: 32 }, coveredThrough: 32, checkpointsChecked: 2 });
  });

  it('keeps a built tree as it is when rebuilt again', async () => {
    await rebuildTalks(store.ctx, talksId);
    const first = await checkpointAt(store.ctx, talksId);
    await rebuildTalks(store.ctx, talksId);
    expect(await checkpointAt(store.ctx, talksId)).toEqual(first);
  });
});
