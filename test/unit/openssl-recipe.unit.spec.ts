import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CheckpointPayload, checkpointResponse, signCheckpoint } from '../../functions/domain/checkpoint.js';
import { buildJwks } from '../../functions/domain/jwks.js';
import { keyObjectSigner } from '../../functions/signing/key-signer.js';

/** The README's "Verify it yourself" openssl script, exactly as documented. */
const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const recipe = /<!-- openssl-recipe:start -->\n```sh\n([\s\S]*?)```\n<!-- openssl-recipe:end -->/.exec(readme)?.[1];

const signer = await keyObjectSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const payload: CheckpointPayload = {
  talksId: 'gaza-ceasefire-2025',
  treeSize: 18,
  rootHash: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  signedAt: '2025-01-15T10:00:00.000Z',
};

function runRecipe(checkpoint: unknown, jwks: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'talks-openssl-'));
  writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(checkpoint));
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(jwks));
  const run = spawnSync('bash', ['-e', '-c', recipe ?? 'exit 99'], { cwd: dir, encoding: 'utf8' });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

/** A checkpoint whose raw r starts with a zero byte: DER drops it, the script must not care. */
async function checkpointWithShortR() {
  for (let i = 0; i < 5000; i += 1) {
    const p = { ...payload, treeSize: i };
    const jws = await signCheckpoint(signer, p);
    if (Buffer.from(jws.split('.')[2]!, 'base64url')[0] === 0) return checkpointResponse(p, jws);
  }
  throw new Error('no signature with a short r in 5000 tries');
}

describe('the README recipe that verifies a checkpoint with openssl', () => {
  it('finds openssl, jq and the documented script on this machine', () => {
    expect(execFileSync('bash', ['-c', 'command -v openssl jq od base64'], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(4);
    expect(recipe).toContain('openssl dgst -sha256 -verify');
  });

  it('verifies a checkpoint signed by our code, short r included, and prints what was signed', async () => {
    const jwks = buildJwks(signer);
    const good = runRecipe(checkpointResponse(payload, await signCheckpoint(signer, payload)), jwks);
    expect(good.out).toContain('Verified OK');
    expect(good.out).toContain('"rootHash": "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"');
    expect(good.code).toBe(0);
    const short = runRecipe(await checkpointWithShortR(), jwks);
    expect({ code: short.code, verified: short.out.includes('Verified OK') }).toEqual({ code: 0, verified: true });
  });

  it('fails on a changed payload or another key under the same kid', async () => {
    const jws = await signCheckpoint(signer, payload);
    const [header, , signature] = jws.split('.');
    const body = Buffer.from(JSON.stringify({ ...payload, treeSize: 17 })).toString('base64url');
    const changed = runRecipe(checkpointResponse(payload, `${header}.${body}.${signature}`), buildJwks(signer));
    expect(changed.out).toContain('Verification failure');
    expect(changed.code).not.toBe(0);
    const other = await keyObjectSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const wrongKey = { keys: [{ ...buildJwks(signer).keys[0], x: other.publicJwk.x, y: other.publicJwk.y }] };
    const wrong = runRecipe(checkpointResponse(payload, jws), wrongKey);
    expect(wrong.out).toContain('Verification failure');
    expect(wrong.code).not.toBe(0);
  });
});
