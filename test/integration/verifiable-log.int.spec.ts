import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyOffline } from '../../bin/cli/offline-verify.js';
import { type CheckpointResponse, verifyCheckpointResponse } from '../../functions/domain/checkpoint.js';
import { identifySubmission, stamp } from '../../functions/domain/decide-append.js';
import { hashEvent } from '../../functions/domain/hash-chain.js';
import { MemoryTree } from '../../functions/domain/memory-tree.js';
import { eventLeafHash, rootHash, verifyConsistency, verifyInclusion } from '../../functions/domain/merkle-tree.js';
import { foldLive } from '../../functions/domain/replay-policy.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { auditTalks } from '../../functions/store/audit-log.js';
import { toEventItem } from '../../functions/store/item-keys.js';
import { readLog } from '../../functions/store/read-log.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { toStatusRecord } from '../../functions/store/status-codec.js';
import { checkpointAt, consistencyProofOf, inclusionProofOf } from '../../functions/store/tree-store.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
const talksId = 'verifiable';
const figure = (value: number) =>
  submitted('figure.reported', { metric: 'killed', value, unit: 'people', qualifier: 'about', originator: 'Ministry' });
/** Submissions of 1, 5, 3, 1 and 7 events: heads at 1, 6, 9, 10 and 17. */
const heads = [1, 6, 9, 10, 17];

beforeEach(async () => {
  store = await createTestStore();
  await appendEvents(store.ctx, { talksId, events: [opened()], principal: 'a' });
  for (const count of [5, 3, 1, 7])
    await appendEvents(store.ctx, { talksId, events: Array.from({ length: count }, (_, i) => figure(100 + i)), principal: 'a' });
});

const unhex = (hex: string) => Buffer.from(hex, 'hex');
const treeOfLog = async () => new MemoryTree((await readLog(store.ctx, talksId)).map((e) => eventLeafHash(e.hash)));
const jwks = () => store.ctx.checkpoints.jwks();

/** What an attacker with write access to the tables (and no key) can do: put items as they like. */
async function putDirectly(events: StoredEvent[]) {
  for (const event of events) await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: toEventItem(event) }));
  const current = await readStatusItem(store.ctx, talksId);
  const status = events.reduce((s, e) => foldLive(s, e), current!.status);
  const { frontier: _dropped, ...forged } = { ...current!, ...toStatusRecord(status, 'forged') };
  await store.raw.send(new PutCommand({ TableName: store.tables.state, Item: forged }));
}

const collapse = () => identifySubmission([submitted('talks.collapsed', { reason: 'Both delegations left' })], () => crypto.randomUUID());

describe('a verifiable log', () => {
  it('signs every submission head: the checkpoint verifies and its root is the root of the stored events', async () => {
    const tree = await treeOfLog();
    for (const size of heads) {
      const checkpoint = await checkpointAt(store.ctx, talksId, size);
      expect(checkpoint).toMatchObject({ talksId, treeSize: size, rootHash: rootHash(tree, size).toString('hex') });
      expect(await verifyCheckpointResponse(checkpoint, await jwks())).toMatchObject({ ok: true });
    }
    expect((await checkpointAt(store.ctx, talksId)).treeSize).toBe(17);
    await expect(checkpointAt(store.ctx, talksId, 7)).rejects.toThrow(/No checkpoint was signed at tree size 7/);
    await expect(checkpointAt(store.ctx, talksId, 18)).rejects.toThrow(/beyond the head/);
  });

  it('serves inclusion and consistency proofs from stored nodes that verify against the signed roots', async () => {
    const log = await readLog(store.ctx, talksId);
    for (const size of heads) {
      const { rootHash: root } = await checkpointAt(store.ctx, talksId, size);
      for (let version = 1; version <= size; version += 1) {
        const proof = await inclusionProofOf(store.ctx, talksId, version, size);
        expect(proof).toMatchObject({ version, leafIndex: version - 1, treeSize: size });
        expect(verifyInclusion(eventLeafHash(log[version - 1]!.hash), version - 1, size, proof.path.map(unhex), unhex(root))).toBe(true);
      }
      for (const older of heads.filter((h) => h <= size)) {
        const first = await checkpointAt(store.ctx, talksId, older);
        const proof = await consistencyProofOf(store.ctx, talksId, older, size);
        expect(verifyConsistency(older, size, proof.path.map(unhex), unhex(first.rootHash), unhex(root))).toBe(true);
      }
    }
    await expect(inclusionProofOf(store.ctx, talksId, 5, 4)).rejects.toMatchObject({ status: 400, fields: [{ field: 'version' }] });
    await expect(consistencyProofOf(store.ctx, talksId, 3, 18)).rejects.toThrow(/beyond the head/);
  });

  it('audits as covered through the head when nothing bypassed the API', async () => {
    const report = await auditTalks(store.ctx, talksId);
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toMatchObject({
      latest: { treeSize: 17 },
      coveredThrough: 17,
      firstUncovered: null,
      checkpointsChecked: 5,
      invalid: [],
    });
  });
});

describe('the attack of issue 12: write access to the tables, no key', () => {
  let kept: CheckpointResponse;
  beforeEach(async () => {
    kept = await checkpointAt(store.ctx, talksId);
  });

  it('a correctly chained event put directly, with a rewritten status item, is not covered: the audit and talks verify fail', async () => {
    const head = (await readStatusItem(store.ctx, talksId))!.status;
    const [forged] = stamp(talksId, head, collapse(), { now: new Date(), principal: 'a' });
    await putDirectly([forged!]);
    const report = await auditTalks(store.ctx, talksId);
    // The hash chain alone would pass: it has no secret.
    expect(report).toMatchObject({ hashesValid: true, hashesLink: true, gapless: true, statusMatches: true, ok: false });
    expect(report.checkpoints).toMatchObject({ latest: { treeSize: 17 }, coveredThrough: 17, firstUncovered: 18 });
    expect(report.problems).toContainEqual(expect.objectContaining({ version: 18, kind: 'not-covered' }));
    const offline = await verifyOffline((await readLog(store.ctx, talksId)) as unknown as Record<string, unknown>[], kept, await jwks());
    expect(offline).toMatchObject({ ok: false, firstUncovered: 18 });
  });

  it('copying a signed checkpoint onto the forged head does not help: it signs another size', async () => {
    const head = (await readStatusItem(store.ctx, talksId))!.status;
    const [forged] = stamp(talksId, head, collapse(), { now: new Date(), principal: 'a' });
    await putDirectly([forged!]);
    const signedHead = (await store.raw.send(new GetCommand({ TableName: store.tables.events, Key: { pk: talksId, sk: 17 } }))).Item!;
    await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: { ...toEventItem(forged!), cp: signedHead.cp } }));
    const report = await auditTalks(store.ctx, talksId);
    expect(report.ok).toBe(false);
    expect(report.checkpoints).toMatchObject({ coveredThrough: 17, firstUncovered: 18 });
    expect(report.checkpoints.invalid).toContainEqual(
      expect.objectContaining({ treeSize: 18, detail: expect.stringMatching(/^bad-signature/) }),
    );
  });

  it('a rewrite of an earlier event, chain recomputed after it, fails the audit and talks verify', async () => {
    const log = await readLog(store.ctx, talksId);
    const rewritten: StoredEvent[] = [];
    let prevHash = log[2]!.prevHash;
    for (const event of log.slice(2)) {
      const { hash: _old, ...rest } = event;
      const changed = { ...rest, prevHash, ...(event.version === 3 ? { data: { ...event.data, value: 9999 } } : {}) } as Omit<
        StoredEvent,
        'hash'
      >;
      const next = { ...changed, hash: hashEvent(changed) } as StoredEvent;
      rewritten.push(next);
      prevHash = next.hash;
    }
    // The tree's attributes are kept as they were: the signatures stay, over the old roots.
    for (const event of rewritten) {
      const { Item } = await store.raw.send(new GetCommand({ TableName: store.tables.events, Key: { pk: talksId, sk: event.version } }));
      await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: { ...Item, ...toEventItem(event) } }));
    }
    const report = await auditTalks(store.ctx, talksId);
    expect(report).toMatchObject({ hashesValid: true, hashesLink: true, ok: false });
    // Only the opening and version 2 are still what a signature (the checkpoint at 1) vouches for.
    expect(report.checkpoints).toMatchObject({ latest: { treeSize: 1 }, coveredThrough: 1, firstUncovered: 2 });
    expect(report.checkpoints.invalid.map((i) => i.treeSize)).toEqual([6, 9, 10, 17]);
    const offline = await verifyOffline((await readLog(store.ctx, talksId)) as unknown as Record<string, unknown>[], kept, await jwks());
    expect(offline.ok).toBe(false);
    expect(offline.checks.find((c) => c.name === 'tree root')).toMatchObject({ ok: false, detail: expect.stringMatching(/root mismatch/) });
  });
});
