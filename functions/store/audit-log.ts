import { type AuditProblem, ChainVerifier, firstDifference } from '../domain/audit.js';
import { NotFoundError } from '../domain/domain-errors.js';
import { LogReplay } from '../domain/replay-policy.js';
import { readLogPages } from './read-log.js';
import { readStatusItem } from './read-status.js';
import type { StoreContext } from './store-context.js';

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
  const readAfter = async (after: number): Promise<number> => {
    let read = 0;
    for await (const page of readLogPages(ctx, talksId, { ...pageOptions, after })) {
      for (const event of page) {
        verifier.push(event);
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
  report.firstProblem = problems.reduce<AuditProblem | null>((first, p) => (first === null || p.version < first.version ? p : first), null);
  report.problems = problems.slice(0, 50);
  return report;
}
