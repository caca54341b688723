import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import { type LocalService, repoRoot } from '../../bin/local/local-service.js';
import { startTestService } from '../support/local-test-service.js';
import { cliEnv, runCli, spawnCli } from '../support/run-cli.js';

let service: LocalService;
let env: NodeJS.ProcessEnv;
const scenario = loadScenario();
const dir = mkdtempSync(join(tmpdir(), 'talks-cli-'));
const talksId = `cli-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  // history --follow is fed by the live updates, which come through the feed.
  service = await startTestService('cli', { feed: true });
  await loadDemo(service.url, service.token, scenario);
  env = cliEnv({ TALKS_URL: service.url, TALKS_TOKEN: service.token });
});
afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const assessment = (i: number) => ({
  eventId: randomUUID(),
  type: 'progress.assessed',
  reportedAt: `2025-01-14T10:${String(i % 60).padStart(2, '0')}:00Z`,
  source: { name: 'Reuters' },
  data: { assessment: 'some_progress', by: `Official ${i}` },
});

describe('talks, the command line', () => {
  it('runs as `npx talks` and documents its commands and exit codes', async () => {
    const { stdout } = await promisify(execFile)('npx', ['talks', '--help'], { cwd: repoRoot });
    for (const word of ['open', 'submit', 'status', 'history', 'audit', 'export', 'import', 'TALKS_URL', 'TALKS_TOKEN', 'Exit codes'])
      expect(stdout).toContain(word);
    expect(stdout).toMatch(/^\s+9\s+verification failed/m);
  });

  it('refuses bad usage with exit code 2', async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['status'],
      ['status', 'x', '--as-of', '2025-01-01T00:00:00Z', '--at-version', '3'],
      ['history', 'x', '--nope'],
      ['open', '--id', 'x'],
    ]) {
      const run = await runCli(args, env);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr + run.stdout).toMatch(/talks/);
    }
  });

  it('opens a talks from flags, and a second open is a conflict (exit 6)', async () => {
    const args = [
      'open',
      '--id',
      talksId,
      '--title',
      'Border talks',
      '--party',
      'Aland',
      '--party',
      'Borduria',
      '--mediator',
      'Cedonia',
      '--source',
      'Reuters',
      '--reported-at',
      '2025-01-13T08:00:00Z',
    ];
    const first = await runCli([...args, '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject([{ talksId, version: 1, type: 'talks.opened', outcome: 'stored' }]);
    const again = await runCli(args, env);
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/409 Conflict/);
  });

  it('submits JSON Lines from stdin in batches of 25, prints the versions, and resubmits idempotently', async () => {
    const lines = `${Array.from({ length: 30 }, (_, i) => JSON.stringify(assessment(i))).join('\n')}\n`;
    const run = await runCli(['submit', '-', '--talks', talksId], env, lines);
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^TALKS\s+VERSION\s+OUTCOME\s+TYPE\s+EVENT ID$/);
    expect(rows.slice(1).map((r) => Number(r.split(/\s+/)[1]))).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    expect(run.stderr).toContain('submitted 25/30 events');
    expect(run.stderr).toContain('submitted 30/30 events');
    const again = await runCli(['submit', '-', '--talks', talksId, '--json'], env, lines);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { outcome: string }[]).every((r) => r.outcome === 'replayed')).toBe(true);
  });

  it('submits a JSON array file whose events name their talks', async () => {
    const file = join(dir, 'events.json');
    writeFileSync(
      file,
      JSON.stringify([
        { ...assessment(40), talksId },
        { ...assessment(41), talksId },
      ]),
    );
    const run = await runCli(['submit', file, '--json', '--quiet'], env);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { version: number }[]).map((r) => r.version)).toEqual([32, 33]);
    expect(run.stderr).toBe('');
  });

  it('reports rejected, unreadable and unknown input with distinct exit codes', async () => {
    const invalid = await runCli(
      ['submit', '-', '--talks', talksId],
      env,
      JSON.stringify({ ...assessment(50), data: { assessment: 'great' } }),
    );
    expect(invalid.code).toBe(5);
    expect(invalid.stderr).toMatch(/data\/assessment/);
    expect((await runCli(['submit', '-', '--talks', talksId], env, '{"type": nope')).code).toBe(3);
    expect((await runCli(['submit', join(dir, 'missing.json'), '--talks', talksId], env)).code).toBe(3);
    expect((await runCli(['status', 'no-such-talks'], env)).code).toBe(4);
    const readOnly = await service.auth.issueToken({ scopes: ['talks/read'] });
    expect((await runCli(['audit', talksId], { ...env, TALKS_TOKEN: readOnly })).code).toBe(7);
    expect((await runCli(['status', talksId, '--url', 'http://127.0.0.1:9'], env)).code).toBe(8);
  });

  it('shows the status as a table, in the past, and as JSON', async () => {
    const now = await runCli(['status', scenario.talksId], env);
    expect(now.code).toBe(0);
    expect(now.stdout).toMatch(/^Phase\s+active since 2023-10-01/m);
    expect(now.stdout).toMatch(/^Parties\s+Israel, Hamas$/m);
    expect(now.stdout).toMatch(/^ultimatum\s+2025-01-20\s+passed \d+d \d+h ago\s+Donald Trump/m);
    expect(now.stdout).toContain('more than 46500 people');
    const past = await runCli(['status', scenario.talksId, '--at-version', '3', '--json'], env);
    expect(JSON.parse(past.stdout)).toMatchObject({ version: 3, timeTravel: { mode: 'atVersion', at: 3 } });
  });

  it('lists the history and audits the log', async () => {
    const history = await runCli(['history', scenario.talksId, '--json'], env);
    const events = history.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { version: number });
    expect(events.map((e) => e.version)).toEqual(scenario.events.map((_, i) => i + 1));
    const table = await runCli(['history', scenario.talksId, '--types', 'deadline.set'], env);
    const rows = table.stdout.trim().split('\n');
    expect(rows).toHaveLength(4);
    // Each row ends with the API's words for that development (the history's summaries).
    const page = (await (await fetch(`${service.url}/talks/${scenario.talksId}/events?types=deadline.set`)).json()) as {
      summaries: { version: number; summary: string }[];
    };
    expect(page.summaries).toHaveLength(3);
    page.summaries.forEach(({ version, summary }, i) => {
      expect(rows[i + 1]).toMatch(new RegExp(`^${version}\\s`));
      expect(rows[i + 1]?.endsWith(`  ${summary}`)).toBe(true);
    });
    const audit = await runCli(['audit', talksId], env);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/^Audit of .*: OK$/m);
    expect(audit.stdout).toMatch(/^Checked events\s+33$/m);
  });

  it('follows the history until interrupted', async () => {
    const child = spawnCli(['history', talksId, '--after', '30', '--follow', '--interval', '1', '--json'], env);
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const linesSoFar = () =>
      stdout
        .trim()
        .split('\n')
        .filter((l) => l !== '').length;
    await expect.poll(linesSoFar, { timeout: 10_000 }).toBe(3);
    const runAnother = await runCli(['submit', '-', '--talks', talksId, '--quiet'], env, JSON.stringify(assessment(60)));
    expect(runAnother.code).toBe(0);
    await expect.poll(linesSoFar, { timeout: 10_000 }).toBe(4);
    expect(JSON.parse(stdout.trim().split('\n')[3]!)).toMatchObject({ version: 34, type: 'progress.assessed' });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('follows over the live feed the status page names, and after a dropped connection re-reads what it missed', async () => {
    const child = spawnCli(['history', talksId, '--after', '33', '--follow', '--json'], env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const versions = () =>
      stdout
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as { version: number }).version);
    await expect.poll(() => stderr, { timeout: 10_000 }).toContain(`Following ${talksId} live (${service.live.url})`);
    await expect.poll(versions, { timeout: 10_000 }).toEqual([34]);
    expect((await runCli(['submit', '-', '--talks', talksId, '--quiet'], env, JSON.stringify(assessment(61)))).code).toBe(0);
    await expect.poll(versions, { timeout: 10_000 }).toEqual([34, 35]);
    // Cut off; appended while no connection is open: no message will announce it.
    service.live.disconnectAll();
    expect((await runCli(['submit', '-', '--talks', talksId, '--quiet'], env, JSON.stringify(assessment(62)))).code).toBe(0);
    await expect.poll(versions, { timeout: 20_000 }).toEqual([34, 35, 36]);
    expect(stderr).toMatch(/Live feed lost; reconnecting/);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
