import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckpointResponse } from '../domain/checkpoint.js';
import { signCheckpoint } from '../domain/checkpoint.js';
import { NotFoundError, ValidationError } from '../domain/domain-errors.js';
import { consistencyProof, eventLeafHash, inclusionProof } from '../domain/merkle-tree.js';
import { StoredSubtrees, type VersionNodes, versionsFor } from '../domain/tree-nodes.js';
import { eventKey } from './item-keys.js';
import { batchGetAll } from './read-log.js';
import { readStatusItem } from './read-status.js';
import type { StoreContext } from './store-context.js';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  eventItemNodes,
  storedCheckpointOf,
  treeItemKey,
  treeItemNodes,
  treeStateOf,
} from './tree-items.js';

/**
 * Reads of the stored tree: nodes for proofs, checkpoints by size. Versions above the
 * talks' tree base keep their nodes in their event items; versions at or below it (talks
 * stored before trees, built by the rebuild) in tree items of the State table.
 */

/** The nodes stored with the given versions, from whichever table keeps each. */
export async function readVersionNodes(
  ctx: StoreContext,
  talksId: string,
  treeBase: number,
  versions: readonly number[],
): Promise<Map<number, VersionNodes>> {
  const fromEvents = versions.filter((v) => v > treeBase);
  const fromTree = versions.filter((v) => v <= treeBase);
  const [eventItems, treeItems] = await Promise.all([
    fromEvents.length === 0
      ? []
      : batchGetAll(
          ctx,
          ctx.tables.events,
          fromEvents.map((v) => eventKey(talksId, v)),
          { ProjectionExpression: '#sk, #hash, #tree', ExpressionAttributeNames: { '#sk': 'sk', '#hash': 'hash', '#tree': 'tree' } },
        ),
    fromTree.length === 0
      ? []
      : batchGetAll(
          ctx,
          ctx.tables.state,
          fromTree.map((v) => treeItemKey(talksId, v)),
          { ProjectionExpression: '#sk, #nodes', ExpressionAttributeNames: { '#sk': 'sk', '#nodes': 'nodes' } },
        ),
  ]);
  const nodes = new Map<number, VersionNodes>();
  for (const item of eventItems) nodes.set(Number(item.sk), eventItemNodes(item, eventLeafHash));
  for (const item of treeItems) nodes.set(Number(item.sk), treeItemNodes(item));
  return nodes;
}

/** The talks' status item with a built tree: a proof or a checkpoint needs its size and base. */
async function treeOf(ctx: StoreContext, talksId: string): Promise<{ size: number; treeBase: number }> {
  const item = await readStatusItem(ctx, talksId);
  if (item === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
  const tree = treeStateOf(item);
  if (tree === undefined)
    throw new NotFoundError(`Talks ${talksId} has no Merkle tree yet: it was stored before trees; the rebuild job builds it`);
  return tree;
}

function beyondHead(field: string, size: number, head: number, talksId: string): never {
  throw new NotFoundError(`${field} ${size} is beyond the head of ${talksId} (tree size ${head})`);
}

export interface InclusionProof {
  version: number;
  leafIndex: number;
  treeSize: number;
  path: string[];
}

/** RFC 9162 2.1.3 for version v in the tree of size n: 1 + O(log n) items read. */
export async function inclusionProofOf(ctx: StoreContext, talksId: string, version: number, treeSize: number): Promise<InclusionProof> {
  if (version > treeSize)
    throw new ValidationError(
      [{ field: 'version', message: `must be at most treeSize (${treeSize})` }],
      'The version is not in a tree of that size',
    );
  const { size, treeBase } = await treeOf(ctx, talksId);
  if (treeSize > size) beyondHead('treeSize', treeSize, size, talksId);
  const compute = (tree: Parameters<typeof inclusionProof>[0]) => inclusionProof(tree, version - 1, treeSize);
  const nodes = await readVersionNodes(ctx, talksId, treeBase, versionsFor(compute));
  return { version, leafIndex: version - 1, treeSize, path: compute(new StoredSubtrees(nodes)).map((h) => h.toString('hex')) };
}

export interface ConsistencyProof {
  from: number;
  to: number;
  path: string[];
}

/** RFC 9162 2.1.4 from size m to size n: 1 + O(log n) items read. */
export async function consistencyProofOf(ctx: StoreContext, talksId: string, from: number, to: number): Promise<ConsistencyProof> {
  if (from > to) throw new ValidationError([{ field: 'from', message: `must be at most to (${to})` }], 'A tree only grows');
  const { size, treeBase } = await treeOf(ctx, talksId);
  if (to > size) beyondHead('to', to, size, talksId);
  const compute = (tree: Parameters<typeof consistencyProof>[0]) => consistencyProof(tree, from, to);
  const nodes = await readVersionNodes(ctx, talksId, treeBase, versionsFor(compute));
  return { from, to, path: compute(new StoredSubtrees(nodes)).map((h) => h.toString('hex')) };
}

/** The checkpoint signed at a tree size, if one was: 1 GetItem after the status. */
export async function checkpointAt(ctx: StoreContext, talksId: string, treeSize?: number): Promise<CheckpointResponse> {
  const { size, treeBase } = await treeOf(ctx, talksId);
  const wanted = treeSize ?? size;
  if (wanted > size) beyondHead('treeSize', wanted, size, talksId);
  const found = await readStoredCheckpoint(ctx, talksId, treeBase, wanted);
  if (found === undefined)
    throw new NotFoundError(
      treeSize === undefined
        ? `No checkpoint is signed for the head of ${talksId} (version ${size}): the audit route says what is covered`
        : `No checkpoint was signed at tree size ${wanted} of ${talksId}: checkpoints are signed at each submission's head`,
    );
  return found;
}

async function readStoredCheckpoint(
  ctx: StoreContext,
  talksId: string,
  treeBase: number,
  size: number,
): Promise<CheckpointResponse | undefined> {
  if (size === 0) return undefined;
  const inTree = size <= treeBase;
  const { Item } = await ctx.doc.send(
    new GetCommand({
      TableName: inTree ? ctx.tables.state : ctx.tables.events,
      Key: inTree ? treeItemKey(talksId, size) : eventKey(talksId, size),
      ProjectionExpression: '#cp',
      ExpressionAttributeNames: { '#cp': 'cp' },
      ConsistentRead: true,
    }),
  );
  return Item?.cp instanceof Uint8Array ? decodeCheckpoint(talksId, size, Item.cp) : undefined;
}

/**
 * Signs a new head: after the decision, before the transaction that stores it with the
 * head (a retry after a race decides again and signs again). Answers the stored form.
 */
export async function signHead(ctx: StoreContext, talksId: string, treeSize: number, root: Buffer): Promise<Buffer> {
  const signer = await ctx.checkpoints.signer();
  const payload = { talksId, treeSize, rootHash: root.toString('hex'), signedAt: ctx.now().toISOString() };
  const jws = await signCheckpoint(signer, payload);
  return encodeCheckpoint(storedCheckpointOf(jws, signer.kid, payload.rootHash, payload.signedAt));
}
