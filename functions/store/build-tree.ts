import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { eventLeafHash } from '../domain/merkle-tree.js';
import type { TalksStatus } from '../domain/talks-status.js';
import { extendTree, frontierNodes, joinHashes, nodeVersion, StoredSubtrees } from '../domain/tree-nodes.js';
import { readLogPages } from './read-log.js';
import { readStatusItem } from './read-status.js';
import type { StoreContext } from './store-context.js';
import { statusTreeAttributes, treeItemKey, treeStateOf } from './tree-items.js';
import { readVersionNodes, signHead } from './tree-store.js';

/** Tree items written at once: the puts are independent, and the rebuild is not a hot path. */
const parallelPuts = 16;

/**
 * The tree attributes a rebuilt status item carries. A talks whose stored tree is at the
 * rebuilt version keeps it. Any other (a talks stored before trees, or a status item that
 * disagreed with its log) gets its tree built from the log: every version's nodes as tree
 * items in the State table (derived, like everything there), the head signed, and the
 * tree base moved to the head, so proofs read those items for every version up to it.
 * The Events table is never touched: its items are put once and never changed.
 */
export async function treeForRebuild(ctx: StoreContext, talksId: string, status: TalksStatus): Promise<Record<string, unknown>> {
  const existing = await readStatusItem(ctx, talksId);
  const tree = existing === undefined ? undefined : treeStateOf(existing);
  if (tree !== undefined && existing !== undefined && existing.version >= status.version)
    // At the rebuilt version: kept. Past it (appends got in): the put will lose its condition
    // and the rebuild folds on, so nothing is worth building now.
    return statusTreeAttributes(tree.frontier, tree.treeBase);
  const treeBase = tree?.treeBase ?? 0;
  const frontier = await storedFrontier(ctx, talksId, treeBase, status.version);
  if (frontier !== undefined) return statusTreeAttributes(frontier, treeBase);
  return buildTree(ctx, talksId, status.version);
}

/**
 * The frontier at a version from the nodes the appends stored (O(log n) items), when every
 * one is there: a status item lost or behind its log, over events all appended by the API.
 * An event put around the API carries no nodes, and then the tree is built from the log.
 */
async function storedFrontier(ctx: StoreContext, talksId: string, treeBase: number, version: number): Promise<Buffer[] | undefined> {
  const wanted = frontierNodes(version);
  const stored = await readVersionNodes(
    ctx,
    talksId,
    treeBase,
    wanted.map((n) => nodeVersion(n.level, n.index)),
  );
  try {
    const subtrees = new StoredSubtrees(stored);
    return wanted.map((n) => subtrees.hash(n.level, n.index));
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

async function buildTree(ctx: StoreContext, talksId: string, through: number): Promise<Record<string, unknown>> {
  let size = 0;
  let frontier: Buffer[] = [];
  let root: Buffer | undefined;
  const last: Record<string, unknown>[] = [];
  for await (const page of readLogPages(ctx, talksId, { through })) {
    const leaves = page.map((e) => eventLeafHash(e.hash));
    const next = extendTree(size, frontier, leaves);
    const items = page.map((event, i) => ({
      ...treeItemKey(talksId, event.version),
      kind: 'tree',
      nodes: joinHashes([leaves[i] as Buffer, ...(next.completed[i] ?? [])]),
    }));
    // The head's item is written last, with its signature, once the root is known.
    if (next.size === through) last.push(items.pop() as Record<string, unknown>);
    await putAll(ctx, items);
    ({ size, frontier, root } = next);
  }
  if (size !== through || root === undefined) throw new Error(`the log of ${talksId} holds ${size} events, the status ${through}`);
  const headItem = last[0] as Record<string, unknown>;
  await putAll(ctx, [{ ...headItem, cp: await signHead(ctx, talksId, size, root) }]);
  return statusTreeAttributes(frontier, size);
}

async function putAll(ctx: StoreContext, items: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += parallelPuts)
    await Promise.all(items.slice(i, i + parallelPuts).map((Item) => ctx.doc.send(new PutCommand({ TableName: ctx.tables.state, Item }))));
}
