import { type ChildProcess, execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort, newLocalCredentials } from '../../bin/local/dynamodb-local.js';
import { type LocalService, repoRoot, startLocalService } from '../../bin/local/local-service.js';
import { spawnLocalServer } from '../support/npm-start.js';
import { createTestStore } from '../support/test-store.js';

/**
 * The local server's own hygiene, with the real thing: DynamoDB Local's database is only
 * reachable with the data dir's credentials, the data dir is the owner's only, a dead
 * DynamoDB Local comes back by itself, and one data dir has one server and one Java.
 */
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

const tablesSeenBy = async (endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) => {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials, maxAttempts: 1 });
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
};

const opening = {
  type: 'talks.opened',
  reportedAt: '2025-01-13T12:00:00Z',
  source: { name: 'Test desk' },
  data: { title: 'Hygiene talks', parties: ['A', 'B'], mediators: ['C'] },
};

const post = (url: string, token: string, talksId: string, body: unknown) =>
  fetch(`${url}/talks/${talksId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

/** Every DynamoDB Local running on this data dir's files (other suites run their own). */
function javaProcessesOn(dataDir: string): number[] {
  const dbPath = `-dbPath ${join(dataDir, 'dynamodb')}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (command.includes('DynamoDBLocal.jar') && command.includes(dbPath)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `npm run rebuild` on the data dir, as a developer runs it. */
async function rebuild(dataDir: string, talksId: string): Promise<string> {
  const { DYNAMODB_ENDPOINT: _none, ...env } = process.env;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), 'bin/rebuild.ts', '--data-dir', dataDir, talksId],
    { cwd: repoRoot, env },
  );
  return stdout;
}

/** Paths under dir (itself included) whose mode lets anyone but the owner in. */
function openToOthers(dir: string): string[] {
  const open: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    if ((stat.mode & 0o077) !== 0) open.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return open;
}

describe("the run's DynamoDB Local", () => {
  it('shows none of its tables to a client with other credentials', async () => {
    const store = await createTestStore();
    const endpoint = inject('dynamoEndpoint');
    expect(await tablesSeenBy(endpoint, { ...inject('dynamoCredentials') })).toContain(store.tables.events);
    for (const stranger of [newLocalCredentials(), { accessKeyId: 'local', secretAccessKey: 'local' }])
      expect(await tablesSeenBy(endpoint, stranger)).toEqual([]);
  });
});

describe('a local server on a data dir', () => {
  let service: LocalService | undefined;
  const lines: string[] = [];
  afterAll(async () => service?.stop());

  it('keeps its database to its own credentials, its files to its owner, and cures a dead DynamoDB Local', async () => {
    const dataDir = tempDir('talks-hygiene-');
    // A data dir made before, too open: the server tightens it.
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'dynamodb'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'notes.txt'), 'left here earlier\n', { mode: 0o644 });
    service = await startLocalService({ port: 0, dataDir, log: (line) => lines.push(line), feed: false });
    const { url, token, dynamoEndpoint, dynamoCredentials } = service;
    expect((await post(url, token, 'hygiene', opening)).status).toBe(201);

    expect(await tablesSeenBy(dynamoEndpoint, { ...dynamoCredentials })).toEqual(['talks-events', 'talks-feed', 'talks-state']);
    for (const stranger of [newLocalCredentials(), { accessKeyId: 'local', secretAccessKey: 'local' }])
      expect(await tablesSeenBy(dynamoEndpoint, stranger)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dataDir, 'dynamodb', 'credentials.json'), 'utf8'))).toEqual({ ...dynamoCredentials });

    // The strangers' probes above made database files of their own: those are 0600 too.
    expect(openToOthers(dataDir)).toEqual([]);
    expect(statSync(join(dataDir, 'dynamodb', `${dynamoCredentials.accessKeyId}_local.db`)).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);

    // DynamoDB Local dies: the server answers 503 with Retry-After, then recovers by itself.
    const javaPid = Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    expect(javaProcessesOn(dataDir)).toEqual([javaPid]);
    process.kill(javaPid, 'SIGKILL');
    await until('the Java process to be gone', () => (alive(javaPid) ? undefined : true));
    const during = await fetch(`${url}/talks/hygiene`);
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toMatch(/^\d+$/);
    const recovered = await until('the API to answer again', async () => {
      const response = await fetch(`${url}/talks/hygiene`);
      return response.status === 200 ? ((await response.json()) as { version: number }) : undefined;
    });
    expect(recovered.version).toBe(1);
    expect((await post(url, token, 'hygiene', { ...opening, type: 'talks.stalled', data: {} })).status).toBe(201);
    const newPid = Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    expect(newPid).not.toBe(javaPid);
    expect(javaProcessesOn(dataDir)).toEqual([newPid]);
    expect(lines.some((line) => line.includes(`DynamoDB Local (pid ${javaPid}) exited`))).toBe(true);
    expect(lines.some((line) => line.includes('DynamoDB Local restarted'))).toBe(true);
    expect(openToOthers(dataDir)).toEqual([]);

    // `npm run rebuild` finds the running server's DynamoDB Local and its credentials in the data dir.
    expect(await rebuild(dataDir, 'hygiene')).toContain('Rebuilt 1 talks');
  }, 180_000);
});

function startServer(dataDir: string, port: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const { child, output } = spawnLocalServer(['--port', String(port), '--data-dir', dataDir, '--quiet', '--no-feed']);
  children.push(child);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output, exited };
}

const listening = (server: ReturnType<typeof startServer>) =>
  until('the server to listen', () => {
    if (server.child.exitCode !== null) throw new Error(`the server exited:\n${server.output()}`);
    return server.output().includes('listening on') ? true : undefined;
  });

describe('one data dir, one server, one DynamoDB Local', () => {
  it('refuses a second server, and after a crash stops the Java left behind before starting anew', async () => {
    const dataDir = tempDir('talks-lock-');
    const port = await freePort();
    const first = startServer(dataDir, port);
    await listening(first);
    const token = readFileSync(join(dataDir, 'dev-token'), 'utf8').trim();
    expect((await post(`http://127.0.0.1:${port}`, token, 'crash', opening)).status).toBe(201);

    const second = startServer(dataDir, await freePort());
    expect(await second.exited).toBe(2);
    expect(second.output()).toContain(`${dataDir} is in use by a talks-status server`);
    expect((await fetch(`http://127.0.0.1:${port}/talks/crash`)).status).toBe(200);

    // The server crashes (kill -9: no exit hook runs) and leaves its DynamoDB Local running.
    const serverPid = (JSON.parse(readFileSync(join(dataDir, 'server.lock'), 'utf8')) as { pid: number }).pid;
    const orphan = Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    process.kill(serverPid, 'SIGKILL');
    await until('the server to be gone', () => (alive(serverPid) ? undefined : true));
    await first.exited;
    expect(alive(orphan)).toBe(true);

    const third = startServer(dataDir, port);
    await listening(third);
    expect(alive(orphan)).toBe(false);
    const java = javaProcessesOn(dataDir);
    expect(java).toHaveLength(1);
    expect(java[0]).not.toBe(orphan);
    const status = (await (await fetch(`http://127.0.0.1:${port}/talks/crash`)).json()) as { version: number };
    expect(status.version).toBe(1);

    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
    expect(javaProcessesOn(dataDir)).toEqual([]);

    // With no server, `npm run rebuild` starts its own DynamoDB Local on the data dir's
    // database (its credentials), holding the lock meanwhile, and leaves no Java behind.
    expect(await rebuild(dataDir, 'crash')).toContain('Rebuilt 1 talks');
    expect(javaProcessesOn(dataDir)).toEqual([]);
    expect(openToOthers(dataDir)).toEqual([]);
  }, 240_000);
});
