import { talksPath } from './api-client.js';
import { CliError, exitCodes, usageError } from './cli-errors.js';
import { type Command, stringOption } from './command.js';

interface AuditReport {
  talksId: string;
  ok: boolean;
  checkedEvents: number;
  headVersion: number;
  headHash: string;
  gapless: boolean;
  hashesValid: boolean;
  hashesLink: boolean;
  statusMatches: boolean;
  revisions: number;
  firstProblem: { version: number; kind: string; detail: string } | null;
  expectHead?: { version: number; hash: string; verified: boolean; detail: string };
  checkedAt: string;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'NO');

export const auditCommand: Command = {
  name: 'audit',
  summary: 'replay and verify the whole log of a talks (needs the talks/audit scope)',
  help: `talks audit <talks-id> [--expect-head <version>:<hash>]

Asks the API to replay the whole log: every hash recomputed and linked, versions gapless,
the status rebuilt and compared with the stored one. Exits 9 when any check fails.

  --expect-head <v>:<hash>   a digest kept earlier (a status's version and headHash):
                             proves the log up to that version is unchanged`,
  options: { 'expect-head': { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [talksId]) {
    const expectHead = stringOption(values, 'expect-head');
    if (expectHead !== undefined && !/^\d+:[0-9a-f]{64}$/.test(expectHead))
      throw usageError('--expect-head takes <version>:<64 hex digits>, as a status version and headHash');
    const { body: r } = await ctx.client.request<AuditReport>(
      'GET',
      talksPath(talksId!, expectHead === undefined ? '/audit' : `/audit?expectHead=${expectHead}`),
    );
    if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
    else
      ctx.out(
        [
          `Audit of ${r.talksId}: ${r.ok ? 'OK' : 'FAILED'}`,
          `Checked events   ${r.checkedEvents}`,
          `Gapless          ${yesNo(r.gapless)}`,
          `Hashes valid     ${yesNo(r.hashesValid)}`,
          `Hashes link      ${yesNo(r.hashesLink)}`,
          `Status matches   ${yesNo(r.statusMatches)}`,
          `Revisions        ${r.revisions}`,
          `Head             ${r.headVersion}:${r.headHash}`,
          ...(r.expectHead === undefined
            ? []
            : [`Expected head    ${r.expectHead.verified ? 'verified' : 'NOT verified'}: ${r.expectHead.detail}`]),
          ...(r.firstProblem === null
            ? []
            : [`First problem    v${r.firstProblem.version} ${r.firstProblem.kind}: ${r.firstProblem.detail}`]),
          `Checked at       ${r.checkedAt}`,
        ].join('\n'),
      );
    if (!r.ok)
      throw new CliError(
        exitCodes.verification,
        `The audit of ${r.talksId} failed${r.firstProblem === null ? '' : ` at version ${r.firstProblem.version}: ${r.firstProblem.kind}`}`,
      );
  },
};
