import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import { type LocalService, repoRoot, startLocalService } from '../../bin/local/local-service.js';
import { submitted } from '../support/event-builders.js';
import * as rfc from '../support/rfc9162-reference.js';

/**
 * README "Verify it yourself", followed literally against the local server over real HTTP:
 * its curl steps (bash, curl, jq), its openssl script for the signatures, its CLI steps, and
 * its key rotation. The proofs are checked with RFC 9162 as transcribed from the RFC
 * (test/support/rfc9162-reference.ts), not with our tree code.
 */
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const block = (pattern: RegExp, name: string): string => {
  const found = pattern.exec(readme)?.[1];
  if (found === undefined) throw new Error(`README has no ${name} block`);
  return found;
};
const curlSteps = block(/\*\*Step by step, with curl\*\*[^\n]*\n\n```sh\n([\s\S]*?)```/, 'curl');
const [keepStep, laterSteps] = curlSteps.split(/(?=# 2\. )/) as [string, string];
const cliSteps = block(/\*\*The same with our CLI\*\*[\s\S]*?```sh\n([\s\S]*?)```/, 'CLI');
const opensslRecipe = block(/<!-- openssl-recipe:start -->\n```sh\n([\s\S]*?)```\n<!-- openssl-recipe:end -->/, 'openssl');
const rotation = block(/<!-- key-rotation:start -->\n```sh\n([\s\S]*?)```\n<!-- key-rotation:end -->/, 'key rotation');

const scenario = loadScenario();
const talksId = scenario.talksId;
const dir = mkdtempSync(join(tmpdir(), 'talks-verify-yourself-'));
const dataDir = join(dir, '.talks');
const work = join(dir, 'auditor');
const bin = join(dir, 'bin');
const suffix = randomUUID().slice(0, 8);
const tableNames = { events: `yourself-events-${suffix}`, state: `yourself-state-${suffix}` };
let service: LocalService;

const start = () =>
  startLocalService({
    port: 0,
    dataDir,
    dynamoEndpoint: inject('dynamoEndpoint'),
    dynamoCredentials: inject('dynamoCredentials'),
    tableNames,
  });

/** Runs a README block with bash -e in the auditor's folder; `npx talks` is this checkout's CLI. */
// Asynchronous: the service runs in this process, so a synchronous child would block the very
// server its curl calls wait for.
function sh(
  script: string,
  cwd = work,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], {
      cwd,
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: dir,
        API: service.url,
        TALKS_URL: service.url,
        TALKS_DATA_DIR: '/nonexistent-talks-dir',
        ...extraEnv,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const readJson = <T>(name: string) => JSON.parse(readFileSync(join(work, name), 'utf8')) as T;
/** The JSON documents curl printed one after the other (no separator: curl -s adds none). */
function jsonDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    if (text[i] === '}' && --depth === 0) {
      docs.push(JSON.parse(text.slice(from, i + 1)));
      from = i + 1;
    }
  }
  return docs;
}
const bytes = (hex: string) => Buffer.from(hex, 'hex');
type Checkpoint = { talksId: string; treeSize: number; rootHash: string; signedAt: string; checkpoint: string };
const kid = (c: Checkpoint) =>
  (JSON.parse(Buffer.from(c.checkpoint.split('.')[0] as string, 'base64url').toString()) as { kid: string }).kid;
/** The README's openssl script on one kept checkpoint (it reads checkpoint.json and jwks.json). */
function opensslVerifies(checkpointFile: string, jwksFile = 'jwks.json') {
  const scratch = mkdtempSync(join(dir, 'openssl-'));
  copyFileSync(join(work, checkpointFile), join(scratch, 'checkpoint.json'));
  copyFileSync(join(work, jwksFile), join(scratch, 'jwks.json'));
  return sh(opensslRecipe, scratch);
}
async function append(type: Parameters<typeof submitted>[0], data: Parameters<typeof submitted>[1]) {
  const response = await fetch(`${service.url}/talks/${talksId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
    body: JSON.stringify(submitted(type, data)),
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  mkdirSync(work);
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'npx'),
    `#!/bin/sh\n[ "$1" = talks ] && shift\nexec "${process.execPath}" "${join(repoRoot, 'bin/talks.mjs')}" "$@"\n`,
  );
  chmodSync(join(bin, 'npx'), 0o755);
  service = await start();
  await loadDemo(service.url, service.token, scenario);
});
afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('README "Verify it yourself", step by step', () => {
  it('finds the tools the steps use on this machine', async () => {
    expect((await sh('command -v bash curl jq openssl od base64')).stdout.trim().split('\n')).toHaveLength(6);
  });

  it('keeps a checkpoint, then proves with curl that the log only grew and that version 7 is in it', async () => {
    const kept = await sh(keepStep);
    expect(kept.code, kept.stderr).toBe(0);
    const checkpoint = readJson<Checkpoint>('kept.json');
    expect(Object.keys(checkpoint).sort()).toEqual(['checkpoint', 'rootHash', 'signedAt', 'talksId', 'treeSize']);
    await append('talks.stalled', { reason: 'No reply from either side' });

    const later = await sh(laterSteps);
    expect(later.code, later.stderr).toBe(0);
    const now = readJson<Checkpoint>('now.json');
    expect(now.treeSize).toBe(checkpoint.treeSize + 1);
    const [consistency, inclusion] = jsonDocuments(later.stdout) as [
      { from: number; to: number; path: string[] },
      { version: number; leafIndex: number; treeSize: number; path: string[] },
    ];
    expect(Object.keys(consistency).sort()).toEqual(['from', 'path', 'to']);
    expect(Object.keys(inclusion).sort()).toEqual(['leafIndex', 'path', 'treeSize', 'version']);
    expect(consistency).toMatchObject({ from: checkpoint.treeSize, to: now.treeSize });
    expect(inclusion).toMatchObject({ version: 7, leafIndex: 6, treeSize: checkpoint.treeSize });

    // RFC 9162 2.1.4.2 and 2.1.3.2 as the RFC gives them, against the two signed roots.
    const path = consistency.path.map(bytes);
    expect(rfc.verifyConsistency(checkpoint.treeSize, now.treeSize, bytes(checkpoint.rootHash), bytes(now.rootHash), path)).toBe(true);
    expect(rfc.verifyConsistency(checkpoint.treeSize, now.treeSize, bytes(now.rootHash), bytes(checkpoint.rootHash), path)).toBe(false);
    const page = (await (await fetch(`${service.url}/talks/${talksId}/events?after=6&limit=1`)).json()) as {
      items: { version: number; hash: string }[];
    };
    const event = page.items[0] as { version: number; hash: string };
    expect(event.version).toBe(7);
    const proof = inclusion.path.map(bytes);
    expect(rfc.verifyInclusion(6, checkpoint.treeSize, bytes(event.hash), proof, bytes(checkpoint.rootHash))).toBe(true);
    expect(rfc.verifyInclusion(7, checkpoint.treeSize, bytes(event.hash), proof, bytes(checkpoint.rootHash))).toBe(false);
  });

  it('verifies both kept checkpoints with openssl, and refuses one whose payload was changed', async () => {
    for (const file of ['kept.json', 'now.json']) {
      const run = await opensslVerifies(file);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Verified OK');
    }
    const kept = readJson<Checkpoint>('kept.json');
    const [header, , signature] = kept.checkpoint.split('.');
    const forged = Buffer.from(JSON.stringify({ ...kept, checkpoint: undefined, treeSize: kept.treeSize + 5 })).toString('base64url');
    writeFileSync(join(work, 'forged.json'), JSON.stringify({ ...kept, checkpoint: `${header}.${forged}.${signature}` }));
    const run = await opensslVerifies('forged.json');
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('Verification failure');
  });

  it('does the same with our CLI, every command exiting 0', async () => {
    const run = await sh(cliSteps);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('the log only grew');
    expect(run.stdout).toContain('Inclusion of');
    expect(readJson<Checkpoint>('kept.json').treeSize).toBe(readJson<Checkpoint>('now.json').treeSize);
    expect(readFileSync(join(work, 'gaza.jsonl'), 'utf8').trim().split('\n')).toHaveLength(readJson<Checkpoint>('now.json').treeSize);
  });
});

describe('a key rotation, as the README gives it', () => {
  it('keeps old checkpoints verifying: the JWKS, talks verify, the audit and openssl accept them, and a new key signs', async () => {
    const before = readJson<Checkpoint>('now.json');
    await service.stop();
    const rotated = await sh(rotation, dir);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(readdirSync(join(dataDir, 'retired-checkpoint-keys'))).toHaveLength(1);
    service = await start();
    await append('talks.stalled', { reason: 'Still no reply' });

    const jwks = (await (await fetch(`${service.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
    const latest = (await (await fetch(`${service.url}/talks/${talksId}/checkpoint`)).json()) as Checkpoint;
    expect(kid(latest)).not.toBe(kid(before));
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid(latest), kid(before)]);
    expect(jwks.keys.some((k) => k.d !== undefined)).toBe(false);
    writeFileSync(join(work, 'jwks-now.json'), JSON.stringify(jwks));
    const old = await fetch(`${service.url}/talks/${talksId}/checkpoint?treeSize=${before.treeSize}`);
    expect(await old.json()).toEqual(before);
    expect((await opensslVerifies('now.json', 'jwks-now.json')).stdout).toContain('Verified OK');

    // The CLI fetches the JWKS from the server: the retired key is in it.
    const verified = await sh(
      `npx talks export ${talksId} > all.jsonl\nnpx talks verify gaza.jsonl --checkpoint now.json\nnpx talks proof consistency ${talksId} --old now.json`,
    );
    expect(verified.code, verified.stderr).toBe(0);
    const audit = await sh(`npx talks audit ${talksId} --json > audit.json || true`, work, { TALKS_TOKEN: service.token });
    expect(audit.code, audit.stderr).toBe(0);
    const report = readJson<{ ok: boolean; checkpoints: { coveredThrough: number; firstUncovered: number | null; invalid: unknown[] } }>(
      'audit.json',
    );
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toMatchObject({ coveredThrough: latest.treeSize, firstUncovered: null, invalid: [] });
  });

  it('without the retired key, the audit names the checkpoints it signed as invalid (what the JWKS must prevent)', async () => {
    await service.stop();
    rmSync(join(dataDir, 'retired-checkpoint-keys'), { recursive: true });
    service = await start();
    const audit = await sh(`npx talks audit ${talksId} --json > audit.json || echo "exit $?" > audit-exit`, work, {
      TALKS_TOKEN: service.token,
    });
    expect(audit.code).toBe(0);
    const report = readJson<{ ok: boolean; checkpoints: { invalid: { treeSize: number }[] } }>('audit.json');
    expect(report.ok).toBe(false);
    expect(report.checkpoints.invalid.map((c) => c.treeSize)).toContain(readJson<Checkpoint>('now.json').treeSize);
    expect(readFileSync(join(work, 'audit-exit'), 'utf8')).toContain('exit 9');
  });
});
