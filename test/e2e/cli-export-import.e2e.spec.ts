import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import type { LocalService } from '../../bin/local/local-service.js';
import { postEvents, startTestService } from '../support/local-test-service.js';
import { cliEnv, runCli } from '../support/run-cli.js';

/** Export from one store, import into another (a second local service in this process, its own tables). */
let source: LocalService;
let target: LocalService;
let sourceEnv: NodeJS.ProcessEnv;
let targetEnv: NodeJS.ProcessEnv;
const scenario = loadScenario();
const dir = mkdtempSync(join(tmpdir(), 'talks-export-'));
const exportFile = join(dir, 'export.jsonl');

beforeAll(async () => {
  [source, target] = await Promise.all([startTestService('exp'), startTestService('imp')]);
  await loadDemo(source.url, source.token, scenario);
  // A retraction too, so that the import must keep versions for its target to mean the same.
  const retraction = {
    type: 'report.retracted',
    reportedAt: '2025-01-14T09:00:00Z',
    source: { name: 'NBC News' },
    data: { targetVersion: 5, reason: 'Misattributed', issuedBy: 'source' },
  };
  expect((await postEvents(source, scenario.talksId, retraction)).status).toBe(201);
  sourceEnv = cliEnv({ TALKS_URL: source.url, TALKS_TOKEN: source.token });
  targetEnv = cliEnv({ TALKS_URL: target.url, TALKS_TOKEN: target.token });
});
afterAll(async () => {
  await Promise.all([target?.stop(), source?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const historyOf = async (url: string, talksId: string) =>
  ((await (await fetch(`${url}/talks/${talksId}/events?limit=1000`)).json()) as { items: Record<string, unknown>[] }).items;
const content = ({ recordedAt: _r, recordedBy: _b, prevHash: _p, hash: _h, ...rest }: Record<string, unknown>) => rest;

describe('talks export and talks import', () => {
  it('exports the whole log as JSON Lines, with progress on stderr', async () => {
    const run = await runCli(['export', scenario.talksId, '--output', exportFile], sourceEnv);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`exported ${scenario.events.length + 1} events of ${scenario.talksId}`);
    const lines = readFileSync(exportFile, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { version: number }).version)).toEqual(
      Array.from({ length: scenario.events.length + 1 }, (_, i) => i + 1),
    );
    const toStdout = await runCli(['export', scenario.talksId, '--quiet'], sourceEnv);
    expect(toStdout.stdout).toBe(readFileSync(exportFile, 'utf8'));
  });

  it('imports into another store: same events, versions and status; new transaction times and hashes', async () => {
    const run = await runCli(['import', exportFile], targetEnv);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`imported ${scenario.events.length + 1} into ${target.url}`);
    const [before, after] = await Promise.all([historyOf(source.url, scenario.talksId), historyOf(target.url, scenario.talksId)]);
    expect(after.map(content)).toEqual(before.map(content));
    expect(after[0]!.hash).not.toBe(before[0]!.hash);
    const status = async (url: string) => (await (await fetch(`${url}/talks/${scenario.talksId}`)).json()) as Record<string, unknown>;
    const [a, b] = await Promise.all([status(source.url), status(target.url)]);
    expect(b.counts).toEqual(a.counts);
    expect(b.assessments).toEqual(a.assessments);
    const audit = await runCli(['audit', scenario.talksId], targetEnv);
    expect(audit.code).toBe(0);
  });

  it('imports the same export again without storing anything twice', async () => {
    const run = await runCli(['import', exportFile, '--json'], targetEnv);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ imported: 0, alreadyThere: scenario.events.length + 1 });
    expect(await historyOf(target.url, scenario.talksId)).toHaveLength(scenario.events.length + 1);
  });

  it('refuses an export whose hash chain is broken, and imports nothing (exit 9)', async () => {
    const lines = readFileSync(exportFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown> & { data: Record<string, unknown> });
    const renamed = lines.map((e) => ({ ...e, talksId: 'tampered-copy' }));
    const tampered = [...lines];
    tampered[3] = { ...lines[3]!, data: { ...lines[3]!.data, value: 4650 } };
    const cases: [string, string][] = [
      [tampered.map((e) => JSON.stringify(e)).join('\n'), 'line 4: the content of version 4 does not match its hash'],
      [
        lines
          .filter((_, i) => i !== 2)
          .map((e) => JSON.stringify(e))
          .join('\n'),
        'line 3: expected version 3, found 4',
      ],
      [renamed.map((e) => JSON.stringify(e)).join('\n'), 'line 1: the content of version 1 does not match its hash'],
    ];
    for (const [text, message] of cases) {
      const file = join(dir, 'bad.jsonl');
      writeFileSync(file, text);
      const run = await runCli(['import', file], targetEnv);
      expect({ code: run.code, stderr: run.stderr.includes(message) }).toEqual({ code: 9, stderr: true });
    }
    expect((await fetch(`${target.url}/talks/tampered-copy`)).status).toBe(404);
  });

  it('refuses to import over a talks that holds other events (exit 6)', async () => {
    const open = ['open', '--id', 'occupied', '--title', 'Border talks', '--party', 'A', '--source', 'AP'];
    expect((await runCli(open, sourceEnv)).code).toBe(0);
    expect((await runCli(open, targetEnv)).code).toBe(0);
    const exported = await runCli(['export', 'occupied', '--quiet'], sourceEnv);
    const file = join(dir, 'occupied.jsonl');
    writeFileSync(file, exported.stdout);
    const run = await runCli(['import', file], targetEnv);
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('already holds other events (version 1');
    expect(await historyOf(target.url, 'occupied')).toHaveLength(1);
  });
});
