import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditProblem, ChainVerifier, firstDifference } from '../domain/audit.js';
import { type CheckpointCoverage, CoverageChecker } from '../domain/checkpoint-coverage.js';
import { NotFoundError } from '../domain/domain-errors.js';
import { LogReplay } from '../domain/replay-policy.js';
import { fromEventItem } from './item-keys.js';
import { readLogItemPages, readLogPages } from './read-log.js';
import { readStatusItem } from './read-status.js';
import type { StoreContext } from './store-context.js';
import { decodeCheckpoint, treeItemKey } from './tree-items.js';

export interface AuditReport {
  talksId: string;
  ok: boolean;
  checkedEvents: number;
  headVersion: number;
  headHash: string;
  gapless: boolean;
  hashesValid: boolean;
  hashesLink: boolean;
  revisions: number;
  storedStatus: { version: number; headHash: string } | null;
  statusMatches: boolean;
  firstProblem: AuditProblem | null;
  problems: AuditProblem[];
  expectHead?: { version: number; hash: string; verified: boolean; detail: string };
  checkpoints: CheckpointCoverage;
  checkedAt: string;
}

/**
 * Replays a talks' whole log in pages (constant memory): verifies every hash and link,
 * checks versions are gapless, rebuilds the status and compares it with the stored one.
 * A log with revisions is read twice: the fold needs every revision before it starts.
 * Safe to run while developments are appended (it audits through the head it reached).
 */
export async function auditTalks(
  ctx: StoreContext,
  talksId: string,
  options: { expectHead?: { version: number; hash: string }; pageSize?: number } = {},
): Promise<AuditReport> {
  const verifier = new ChainVerifier(talksId, options.expectHead === undefined ? [] : [options.expectHead.version]);
  const replay = new LogReplay(talksId);
  const foldProblems: AuditProblem[] = [];
  const fold = (event: Parameters<LogReplay['push']>[0]) => {
    if (foldProblems.length > 0) return;
    try {
      replay.push(event);
    } catch (error) {
      foldProblems.push({
        version: event.version,
        kind: 'status-differs',
        detail: `the log cannot be folded at version ${event.version}: ${(error as Error).message}`,
      });
    }
  };
  const pageOptions = options.pageSize === undefined ? {} : { pageSize: options.pageSize };
  const coverage = new CoverageChecker(await ctx.checkpoints.jwks());
  const expectStored = (version: number, cp: unknown) => {
    if (!(cp instanceof Uint8Array)) return;
    try {
      coverage.expect(decodeCheckpoint(talksId, version, cp));
    } catch (error) {
      coverage.reject(version, (error as Error).message);
    }
  };
  // Heads the rebuild signed (talks stored before trees) are kept beside their tree items.
  for (const item of await rebuildCheckpoints(ctx, talksId)) expectStored(Number(item.sk), item.cp);
  const readAfter = async (after: number): Promise<number> => {
    let read = 0;
    for await (const page of readLogItemPages(ctx, talksId, { ...pageOptions, after })) {
      for (const item of page) {
        const event = fromEventItem(item);
        expectStored(event.version, item.cp);
        verifier.push(event);
        coverage.pushLeaf(typeof event.hash === 'string' && /^[0-9a-f]{64}$/.test(event.hash) ? event.hash : '0'.repeat(64));
        if (verifier.revisions.length === 0) fold(event);
      }
      read += page.length;
    }
    return read;
  };
  await readAfter(0);
  // The status is read after the log: in a sound store it is then at or past the log's
  // head. Past it means developments were appended while we read: audit those too, so a
  // live talks is never reported as differing from its replay.
  let stored = await readStatusItem(ctx, talksId);
  for (let round = 0; round < 5 && stored !== undefined && stored.version > verifier.headVersion; round += 1) {
    if ((await readAfter(verifier.headVersion)) === 0) break;
    stored = await readStatusItem(ctx, talksId);
  }
  if (verifier.checked === 0 && stored === undefined) throw new NotFoundError(`Talks ${talksId} does not exist`);
  if (verifier.revisions.length > 0) {
    replay.restart(verifier.revisions);
    for await (const page of readLogPages(ctx, talksId, { ...pageOptions, through: verifier.headVersion }))
      for (const event of page) fold(event);
  }
  const problems = [...verifier.problems, ...foldProblems];
  const checkpoints = await coverage.settle(
    verifier.headVersion,
    verifier.problems.reduce<number | undefined>((first, p) => (first === undefined || p.version < first ? p.version : first), undefined),
  );
  for (const bad of checkpoints.invalid)
    problems.push({
      version: bad.treeSize,
      kind: 'checkpoint-invalid',
      detail: `the checkpoint at tree size ${bad.treeSize} does not hold: ${bad.detail}`,
    });
  if (checkpoints.firstUncovered !== null)
    problems.push({
      version: checkpoints.firstUncovered,
      kind: 'not-covered',
      detail:
        checkpoints.latest === null
          ? `no valid checkpoint covers version ${checkpoints.firstUncovered}: nothing of this log is vouched for by a signature`
          : `version ${checkpoints.firstUncovered} is not covered: the latest valid checkpoint covers versions 1 to ${checkpoints.coveredThrough}`,
    });
  const difference = stored === undefined ? '/' : firstDifference(replay.status, stored.status);
  if (difference !== undefined && foldProblems.length === 0) {
    problems.push({
      version: stored?.version ?? 0,
      kind: 'status-differs',
      detail: stored === undefined ? 'no status item is stored' : `the stored status differs from the replay at ${difference}`,
    });
  }
  const report: AuditReport = {
    talksId,
    ok: problems.length === 0,
    checkedEvents: verifier.checked,
    headVersion: verifier.headVersion,
    headHash: verifier.headHash,
    gapless: !verifier.problems.some((p) => p.kind === 'gap' || p.kind === 'out-of-order'),
    hashesValid: !verifier.problems.some((p) => p.kind === 'hash-mismatch'),
    hashesLink: !verifier.problems.some((p) => p.kind === 'broken-link'),
    revisions: verifier.revisions.length,
    storedStatus: stored === undefined ? null : { version: stored.version, headHash: stored.status.headHash },
    statusMatches: difference === undefined,
    checkpoints,
    firstProblem: null,
    problems: problems.slice(0, 50),
    checkedAt: ctx.now().toISOString(),
  };
  if (options.expectHead !== undefined) {
    const { version, hash } = options.expectHead;
    const found = verifier.hashAt(version);
    // The digest proves the prefix only if the chain up to it verified too.
    const chainBroken = verifier.problems.find((p) => p.version <= version);
    const verified = found === hash && chainBroken === undefined;
    const detail =
      found === undefined
        ? `the log has no version ${version}`
        : found !== hash
          ? `version ${version} now has hash ${found}`
          : chainBroken !== undefined
            ? `the log is broken at version ${chainBroken.version}, before the digest`
            : `the log up to version ${version} is unchanged`;
    report.expectHead = { version, hash, verified, detail };
    if (!verified) problems.push({ version, kind: 'expected-head', detail });
    report.ok = problems.length === 0;
  }
  // Coverage follows from the log: a break in it also voids the checkpoints after it. The first
  // problem is the first break when there is one, and a coverage problem only when the log holds.
  const coverageKinds = new Set(['not-covered', 'checkpoint-invalid']);
  const earliest = (list: AuditProblem[]) =>
    list.reduce<AuditProblem | null>((first, p) => (first === null || p.version < first.version ? p : first), null);
  report.firstProblem = earliest(problems.filter((p) => !coverageKinds.has(p.kind))) ?? earliest(problems);
  report.problems = problems.slice(0, 50);
  return report;
}

async function rebuildCheckpoints(ctx: StoreContext, talksId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tables.state,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'attribute_exists(cp)',
        ExpressionAttributeValues: { ':pk': treeItemKey(talksId, 0).pk },
        ProjectionExpression: 'sk, cp',
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
