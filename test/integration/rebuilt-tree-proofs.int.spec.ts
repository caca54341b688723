import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { toEventItem } from '../../functions/store/item-keys.js';
import { readLog } from '../../functions/store/read-log.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { rebuildTalks } from '../../functions/store/rebuild-status.js';
import { toStatusRecord } from '../../functions/store/status-codec.js';
import { treeStateOf } from '../../functions/store/tree-items.js';
import { consistencyProofOf, inclusionProofOf, readVersionNodes } from '../../functions/store/tree-store.js';
import { opened, submitted } from '../support/event-builders.js';
import * as rfc from '../support/rfc9162-reference.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

/*
 * The verifiable log's budget (bench/budget.ts, "verifiable log"): a proof reads at most
 * 2·⌈log2 n⌉ + 1 items (its stored nodes and the status item). The bench measures trees grown
 * append by append; here the tree is the one the rebuild builds for a talks stored before
 * trees (tree items in the State table), then grown by appends past the rebuilt base.
 */

const talksId = 'rebuilt-tree';
const rebuiltSize = 100;
const grownSize = 137;
let store: TestStore;
let log: StoredEvent[];
/** The nodes each version held when the tree was grown append by append (before it was stripped). */
let appendedNodes: Map<number, readonly Uint8Array[]>;
let treeBase: number;

const figure = (value: number) =>
  submitted('figure.reported', { metric: 'killed', value, unit: 'people', qualifier: 'about', originator: 'Ministry' });
const unhex = (hex: string) => Buffer.from(hex, 'hex');
const log2Ceil = (n: number) => Math.ceil(Math.log2(n));
const bound = (n: number) => 2 * log2Ceil(n) + 1;
/** RFC 9162's leaves are the 32 bytes of each event's hash (the reference hashes them itself). */
const leaves = (n: number) => log.slice(0, n).map((e) => unhex(e.hash));
const hexOf = (nodes: readonly Uint8Array[]) => nodes.map((h) => Buffer.from(h).toString('hex'));

async function appendBatches(sizes: readonly number[], from: number) {
  let value = from;
  for (const size of sizes)
    await appendEvents(store.ctx, {
      talksId,
      events: Array.from({ length: size }, () => figure((value += 1))),
      principal: 'a',
    });
}

beforeAll(async () => {
  store = await createTestStore();
  // Batches of uneven sizes, so submission heads (and their checkpoints) fall anywhere.
  await appendEvents(store.ctx, { talksId, events: [opened(), ...Array.from({ length: 6 }, (_, i) => figure(i))], principal: 'a' });
  await appendBatches([25, 1, 13, 25, 2, 1, 17, 9], 100);
  const grown = (await readStatusItem(store.ctx, talksId))!;
  expect(grown.version).toBe(rebuiltSize);
  appendedNodes = await readVersionNodes(
    store.ctx,
    talksId,
    0,
    Array.from({ length: rebuiltSize }, (_, i) => i + 1),
  );
  // Strip the tree: the events as stored before trees (no `tree`, no `cp`), a status item without a frontier.
  for (const event of await readLog(store.ctx, talksId))
    await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: toEventItem(event) }));
  await store.raw.send(new PutCommand({ TableName: store.tables.state, Item: toStatusRecord(grown.status, 'old') }));
  expect(treeStateOf((await readStatusItem(store.ctx, talksId))!)).toBeUndefined();

  await rebuildTalks(store.ctx, talksId);
  treeBase = treeStateOf((await readStatusItem(store.ctx, talksId))!)!.treeBase;
  // Appends after the rebuild keep their nodes in their event items, above the base.
  await appendBatches([1, 20, 3, 1, 12], 1000);
  log = await readLog(store.ctx, talksId);
  expect(log).toHaveLength(grownSize);
}, 120_000);

describe('proofs over a rebuilt tree', () => {
  it('stores, for every rebuilt version, the nodes an append stored for it', async () => {
    expect(treeBase).toBe(rebuiltSize);
    const rebuilt = await readVersionNodes(
      store.ctx,
      talksId,
      treeBase,
      Array.from({ length: rebuiltSize }, (_, i) => i + 1),
    );
    expect(rebuilt.size).toBe(rebuiltSize);
    for (let v = 1; v <= rebuiltSize; v += 1) expect(hexOf(rebuilt.get(v)!), `version ${v}`).toEqual(hexOf(appendedNodes.get(v)!));
  });

  it.each([
    [1, 'one leaf'],
    [64, 'a power of two'],
    [rebuiltSize, 'the rebuilt head'],
    [101, 'one append past the base'],
    [grownSize, 'the head, grown past the base'],
  ])('inclusion proofs in the tree of size %i (%s) read at most 2·⌈log2 n⌉ + 1 items and match RFC 9162', async (n) => {
    const root = rfc.mth(leaves(n));
    let most = 0;
    for (let version = 1; version <= n; version += 1) {
      const cost = await store.counter.measure(() => inclusionProofOf(store.ctx, talksId, version, n));
      const path = cost.result.path.map(unhex);
      expect(hexOf(path), `inclusion ${version}/${n}`).toEqual(hexOf(rfc.path(version - 1, leaves(n))));
      expect(rfc.verifyInclusion(version - 1, n, unhex(log[version - 1]!.hash), path, root), `inclusion ${version}/${n}`).toBe(true);
      expect(cost.itemsRead, `items read for inclusion ${version}/${n}`).toBeLessThanOrEqual(bound(n));
      most = Math.max(most, cost.itemsRead);
    }
    // The status item and one stored version per hash of the longest path, at least.
    expect(most).toBeGreaterThanOrEqual(1 + (n === 1 ? 0 : Math.floor(Math.log2(n))));
  });

  it.each([
    [rebuiltSize, 'to the rebuilt head'],
    [grownSize, 'to the head, across the base'],
  ])('consistency proofs to size %i (%s) read at most 2·⌈log2 n⌉ + 1 items and match RFC 9162', async (n) => {
    const second = rfc.mth(leaves(n));
    let most = 0;
    for (let m = 1; m <= n; m += 1) {
      const cost = await store.counter.measure(() => consistencyProofOf(store.ctx, talksId, m, n));
      const path = cost.result.path.map(unhex);
      expect(hexOf(path), `consistency ${m}→${n}`).toEqual(hexOf(rfc.proof(m, leaves(n))));
      expect(rfc.verifyConsistency(m, n, rfc.mth(leaves(m)), second, path), `consistency ${m}→${n}`).toBe(true);
      expect(cost.itemsRead, `items read for consistency ${m}→${n}`).toBeLessThanOrEqual(bound(n));
      most = Math.max(most, cost.itemsRead);
    }
    expect(most).toBeGreaterThan(log2Ceil(n));
  });

  it('reads the same items for a proof whether the tree was rebuilt or grown by appends', async () => {
    // A second talks with the same batches, grown append by append and never rebuilt.
    const grownId = 'grown-tree';
    const ctx = store.ctx;
    await appendEvents(ctx, { talksId: grownId, events: [opened(), ...Array.from({ length: 6 }, (_, i) => figure(i))], principal: 'a' });
    for (const size of [25, 1, 13, 25, 2, 1, 17, 9, 1, 20, 3, 1, 12])
      await appendEvents(ctx, { talksId: grownId, events: Array.from({ length: size }, (_, i) => figure(i)), principal: 'a' });
    for (const [version, n] of [
      [1, grownSize],
      [37, grownSize],
      [100, grownSize],
      [101, grownSize],
      [grownSize, grownSize],
      [5, rebuiltSize],
      [99, rebuiltSize],
    ] as const) {
      const rebuilt = await store.counter.measure(() => inclusionProofOf(ctx, talksId, version, n));
      const appended = await store.counter.measure(() => inclusionProofOf(ctx, grownId, version, n));
      expect(rebuilt.itemsRead, `inclusion ${version}/${n}`).toBe(appended.itemsRead);
      const rebuiltConsistency = await store.counter.measure(() => consistencyProofOf(ctx, talksId, version, n));
      const appendedConsistency = await store.counter.measure(() => consistencyProofOf(ctx, grownId, version, n));
      expect(rebuiltConsistency.itemsRead, `consistency ${version}→${n}`).toBe(appendedConsistency.itemsRead);
    }
  }, 60_000);
});
