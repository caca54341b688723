import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import type { LocalService } from '../../bin/local/local-service.js';
import { loadOrCreateLocalSigner } from '../../bin/local/local-signer.js';
import { type CheckpointSigner, checkpointResponse, signCheckpoint } from '../../functions/domain/checkpoint.js';
import { hashEvent } from '../../functions/domain/hash-chain.js';
import { buildJwks } from '../../functions/domain/jwks.js';
import { startTestService } from '../support/local-test-service.js';
import { cliEnv, runCli } from '../support/run-cli.js';

/**
 * `talks verify` against a real export of a local server, with a checkpoint signed in the
 * test by the local key file signer. The root is recomputed here by the plain RFC 9162
 * recursion, not by the module the CLI uses.
 */
type Event = Record<string, unknown> & { hash: string; prevHash: string; version: number; data: Record<string, unknown> };
let service: LocalService;
let signer: CheckpointSigner;
let events: Event[];
let jwksServer: Server;
let jwksUrl: string;
const scenario = loadScenario();
const dir = mkdtempSync(join(tmpdir(), 'talks-verify-'));
const file = (name: string) => join(dir, name);
const env = () => cliEnv({ TALKS_URL: service.url });

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return sha256(Buffer.of(0), leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Buffer.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
const rootOf = (log: readonly Event[]) => mth(log.map((e) => Buffer.from(e.hash, 'hex'))).toString('hex');
const lines = (log: readonly Event[]) => `${log.map((e) => JSON.stringify(e)).join('\n')}\n`;
/** Recomputes every hash from `from` on, as a writer with table access could. */
function rechained(log: readonly Event[], from: number): Event[] {
  const out: Event[] = [];
  for (const [i, event] of log.entries()) {
    if (i < from) {
      out.push(event);
      continue;
    }
    const { hash: _h, ...rest } = { ...event, prevHash: out[i - 1]?.hash ?? event.prevHash };
    out.push({ ...rest, hash: hashEvent(rest) } as Event);
  }
  return out;
}

async function checkpointFile(name: string, log: readonly Event[], by = signer, overrides: Record<string, unknown> = {}) {
  const payload = { talksId: scenario.talksId, treeSize: log.length, rootHash: rootOf(log), signedAt: new Date().toISOString() };
  const signed = { ...payload, ...overrides };
  writeFileSync(file(name), JSON.stringify(checkpointResponse(signed, await signCheckpoint(by, signed))));
  return file(name);
}

async function verify(exportText: string, checkpoint: string, jwks: string = file('jwks.json')) {
  writeFileSync(file('case.jsonl'), exportText);
  return runCli(['verify', file('case.jsonl'), '--checkpoint', checkpoint, '--jwks', jwks], env());
}

beforeAll(async () => {
  service = await startTestService('ver');
  await loadDemo(service.url, service.token, scenario);
  signer = await loadOrCreateLocalSigner(file('data/checkpoint-key.pem'));
  const exported = await runCli(
    ['export', scenario.talksId, '--output', file('export.jsonl')],
    cliEnv({ TALKS_URL: service.url, TALKS_TOKEN: service.token }),
  );
  expect(exported.code, exported.stderr).toBe(0);
  events = readFileSync(file('export.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Event);
  writeFileSync(file('jwks.json'), JSON.stringify(buildJwks(signer)));
  jwksServer = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(buildJwks(signer))));
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  await new Promise((r) => jwksServer?.close(r));
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('talks verify', () => {
  it('verifies an untouched export against its checkpoint: exit 0, every version covered', async () => {
    const checkpoint = await checkpointFile('good.json', events);
    const run = await verify(lines(events), checkpoint);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Verification of ${scenario.talksId}: OK`);
    expect(run.stdout).toContain(`every version (1 to ${events.length}) is covered`);
    const json = await runCli(['verify', file('export.jsonl'), '--checkpoint', checkpoint, '--jwks', jwksUrl, '--json'], env());
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      treeSize: events.length,
      coveredThrough: events.length,
      firstUncovered: null,
    });
  });

  it('fails on an event whose content was changed: the chain breaks there, and nothing from it on is covered', async () => {
    const tampered = events.map((e, i) => (i === 3 ? { ...e, data: { ...e.data, tampered: true } } : e));
    const run = await verify(lines(tampered), await checkpointFile('good.json', events));
    expect(run.code).toBe(9);
    expect(run.stderr).toContain('does not verify: hash chain: broken at version 4: hash-mismatch');
    expect(run.stderr).toContain(`first version not covered: 4 of ${events.length}`);
  });

  it('fails on a rewritten past, even re-chained so that every hash and link holds: the root differs', async () => {
    const rewritten = rechained(
      events.map((e, i) => (i === 3 ? { ...e, data: { ...e.data, tampered: true } } : e)),
      3,
    );
    const run = await verify(lines(rewritten), await checkpointFile('good.json', events));
    expect(run.code).toBe(9);
    expect(run.stderr).toContain('does not verify: tree root: root mismatch');
    expect(run.stderr).toContain(`first version not covered: 1 of ${events.length}`);
  });

  it('fails on a correctly chained event appended by someone with table access: it is not covered', async () => {
    const last = events.at(-1)!;
    const { hash: _h, ...body } = { ...last, version: last.version + 1, eventId: randomUUID(), prevHash: last.hash };
    const forged = [...events, { ...body, hash: hashEvent(body) } as Event];
    const run = await verify(lines(forged), await checkpointFile('good.json', events));
    expect(run.code).toBe(9);
    expect(run.stdout).toContain('hash chain   ok');
    expect(run.stderr).toContain(`does not verify: coverage: first version not covered: ${forged.length} of ${forged.length}`);
  });

  it('fails on a checkpoint signed by another key, or published under our kid with another key', async () => {
    const stranger = await loadOrCreateLocalSigner(file('stranger/checkpoint-key.pem'));
    const foreign = await verify(lines(events), await checkpointFile('foreign.json', events, stranger));
    expect(foreign.code).toBe(9);
    expect(foreign.stderr).toContain(`signature: unknown key: no ES256 key with kid ${stranger.kid}`);
    writeFileSync(
      file('swapped.json'),
      JSON.stringify({ keys: [{ ...buildJwks(signer).keys[0], x: stranger.publicJwk.x, y: stranger.publicJwk.y }] }),
    );
    const swapped = await verify(lines(events), await checkpointFile('good.json', events), file('swapped.json'));
    expect(swapped.code).toBe(9);
    expect(swapped.stderr).toContain('signature: bad signature');
  });

  it('fails on a validly signed checkpoint of another root, or one whose plain fields were edited', async () => {
    const wrongRoot = await verify(lines(events), await checkpointFile('wrong-root.json', events, signer, { rootHash: 'ab'.repeat(32) }));
    expect(wrongRoot.code).toBe(9);
    expect(wrongRoot.stderr).toContain(`tree root: root mismatch: the first ${events.length} events have the root ${rootOf(events)}`);
    const edited = JSON.parse(readFileSync(await checkpointFile('edited.json', events.slice(0, -1)), 'utf8')) as Record<string, unknown>;
    writeFileSync(file('edited.json'), JSON.stringify({ ...edited, treeSize: events.length, rootHash: rootOf(events) }));
    const run = await verify(lines(events), file('edited.json'));
    expect(run.code).toBe(9);
    expect(run.stderr).toContain(`signature: fields differ: treeSize is ${events.length} but the signature covers ${events.length - 1}`);
  });

  it('covers an export of an older checkpoint up to its size and names the first later version', async () => {
    const run = await verify(lines(events), await checkpointFile('older.json', events.slice(0, 10)));
    expect(run.code).toBe(9);
    expect(run.stdout).toContain('tree root    ok: the first 10 events have the signed root');
    expect(run.stderr).toContain(`first version not covered: 11 of ${events.length} (the checkpoint covers versions 1 to 10`);
  });

  it('refuses a file that is not a checkpoint (exit 3) and needs --checkpoint (exit 2)', async () => {
    writeFileSync(file('not-a-checkpoint.json'), JSON.stringify({ talksId: scenario.talksId }));
    const bad = await verify(lines(events), file('not-a-checkpoint.json'));
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('is not a checkpoint');
    expect((await runCli(['verify', file('export.jsonl')], env())).code).toBe(2);
  });
});
