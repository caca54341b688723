import type { JSONWebKeySet } from 'jose';
import { type CheckpointResponse, verifyCheckpointResponse } from './checkpoint.js';
import { eventLeafHash } from './merkle-tree.js';
import { extendTree, frontierRoot } from './tree-nodes.js';

/** What the audit says about signatures: the latest valid checkpoint and what it covers. */
export interface CheckpointCoverage {
  latest: { treeSize: number; rootHash: string; signedAt: string; kid: string } | null;
  /** Versions 1 to coveredThrough are vouched for by a valid signature over their tree root. */
  coveredThrough: number;
  /** The first version no valid checkpoint covers; null when all are. */
  firstUncovered: number | null;
  checkpointsChecked: number;
  /** Stored checkpoints that do not hold: a bad signature, or a root other than the log's. */
  invalid: { treeSize: number; detail: string }[];
}

/**
 * Follows a log's leaves as they stream past (O(log n) memory: the tree's frontier), and
 * checks each stored checkpoint when the log reaches its size: its signature against the
 * published keys, and its root against the root of the events actually stored. A write
 * that bypassed the API can carry no valid signature, so it is not covered.
 */
export class CoverageChecker {
  private size = 0;
  private frontier: Buffer[] = [];
  private readonly roots = new Map<number, string>();
  private readonly pending = new Map<number, CheckpointResponse>();
  private latest: CheckpointCoverage['latest'] = null;
  private checked = 0;
  private readonly invalid: CheckpointCoverage['invalid'] = [];

  constructor(private readonly jwks: JSONWebKeySet) {}

  /** The next leaf, in version order: the stored event's hash. */
  pushLeaf(eventHash: string): void {
    ({ frontier: this.frontier, size: this.size } = extendTree(this.size, this.frontier, [eventLeafHash(eventHash)]));
    if (this.pending.has(this.size)) this.roots.set(this.size, frontierRoot(this.frontier).toString('hex'));
  }

  /** A stored checkpoint, given before the leaf of its size is pushed; `settle` checks them all. */
  expect(checkpoint: CheckpointResponse): void {
    this.pending.set(checkpoint.treeSize, checkpoint);
  }

  /** A stored checkpoint that could not even be read. */
  reject(treeSize: number, detail: string): void {
    this.invalid.push({ treeSize, detail });
  }

  async settle(headVersion: number, firstBrokenVersion: number | undefined): Promise<CheckpointCoverage> {
    for (const [size, checkpoint] of [...this.pending].sort((a, b) => a[0] - b[0])) {
      this.checked += 1;
      const verified = await verifyCheckpointResponse(checkpoint, this.jwks);
      const root = this.roots.get(size);
      if (!verified.ok) this.invalid.push({ treeSize: size, detail: `${verified.failure}: ${verified.detail}` });
      else if (root === undefined) this.invalid.push({ treeSize: size, detail: `signed for ${size} events, the log holds ${this.size}` });
      else if (root !== checkpoint.rootHash)
        this.invalid.push({ treeSize: size, detail: `signs the root ${checkpoint.rootHash}, the stored events have the root ${root}` });
      else this.latest = { treeSize: size, rootHash: root, signedAt: checkpoint.signedAt, kid: verified.kid };
    }
    // A signature over the root vouches for the stored hashes; an event whose content does
    // not match its hash (or does not link) is not what was signed, nor is anything after it.
    const signed = this.latest?.treeSize ?? 0;
    const coveredThrough = firstBrokenVersion === undefined ? signed : Math.min(signed, firstBrokenVersion - 1);
    return {
      latest: this.latest,
      coveredThrough,
      firstUncovered: coveredThrough < headVersion ? coveredThrough + 1 : null,
      checkpointsChecked: this.checked,
      invalid: this.invalid.slice(0, 50),
    };
  }
}
