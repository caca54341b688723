import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bin/local/dynamodb-local.js';
import { json } from '../support/json.js';
import { spawnLocalServer } from '../support/npm-start.js';

const dataDir = mkdtempSync(join(tmpdir(), 'talks-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the same command `npm start` runs, and waits for it to say where it listens. */
async function start(port: number, extra: string[] = []): Promise<{ child: ChildProcess; output: () => string; dynamoPort: number }> {
  const { child, output } = spawnLocalServer(['--port', String(port), '--data-dir', dataDir, '--quiet', ...extra]);
  children.push(child);
  const deadline = Date.now() + 60_000;
  // The address lines arrive in separate writes: wait for the last one needed, not the first.
  while (!/DynamoDB Local: http:\/\/127\.0\.0\.1:\d+ /.test(output()) || (extra.includes('--demo') && !output().includes('Demo loaded'))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const dynamoPort = Number(/DynamoDB Local: http:\/\/127\.0\.0\.1:(\d+)/.exec(output())?.[1]);
  return { child, output, dynamoPort };
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function stopWithCtrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGINT');
  return exited;
}

describe('npm start', () => {
  it('serves the demo from disk, writes a dev token, and leaves no Java behind on Ctrl-C', async () => {
    const port = await freePort();
    const first = await start(port, ['--demo']);
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    const token = readFileSync(join(dataDir, 'dev-token'), 'utf8').trim();
    expect(first.output()).toContain(token);
    expect(first.output()).not.toContain('Change feed: off');
    const status = await json(fetch(`http://127.0.0.1:${port}/talks/gaza-ceasefire-2025`));
    expect(status.phase).toBe('active');
    expect(await portOpen(first.dynamoPort)).toBe(true);
    expect(await stopWithCtrlC(first.child)).toBe(0);
    expect(await portOpen(first.dynamoPort)).toBe(false);
    expect(await portOpen(port)).toBe(false);
    // One database per access key: the data dir's own, named by its key.
    const { accessKeyId } = JSON.parse(readFileSync(join(dataDir, 'dynamodb', 'credentials.json'), 'utf8')) as { accessKeyId: string };
    expect(existsSync(join(dataDir, 'dynamodb', `${accessKeyId}_local.db`))).toBe(true);

    // Restarted on the same data dir: the talks is still there and the old token still works.
    // This time a browser app on another origin may call it, and nothing reads the change feed.
    const second = await start(port, ['--cors-origin', 'https://news.example', '--no-feed']);
    expect(second.output()).toContain('Change feed: off (--no-feed)');
    const again = await fetch(`http://127.0.0.1:${port}/talks/gaza-ceasefire-2025`, { headers: { origin: 'https://news.example' } });
    expect(again.headers.get('access-control-allow-origin')).toBe('https://news.example');
    expect((await json(again)).version).toBe(status.version);
    const write = await fetch(`http://127.0.0.1:${port}/talks/gaza-ceasefire-2025/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ type: 'talks.stalled', reportedAt: '2025-01-14T00:00:00Z', source: { name: 'Test desk' }, data: {} }),
    });
    expect(write.status).toBe(201);
    expect(await stopWithCtrlC(second.child)).toBe(0);
    expect(await portOpen(second.dynamoPort)).toBe(false);
  }, 120_000);

  it('refuses a malformed --cors-origin before starting anything', async () => {
    const { child, output } = spawnLocalServer(['--in-memory', '--cors-origin', 'news.example/page']);
    children.push(child);
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(output()).toContain('Not an origin');
  }, 30_000);
});
