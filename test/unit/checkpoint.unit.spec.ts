import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadOrCreateLocalSigner } from '../../bin/local/local-signer.js';
import {
  type CheckpointPayload,
  type CheckpointSigner,
  checkpointResponse,
  signCheckpoint,
  verifyCheckpoint,
  verifyCheckpointResponse,
} from '../../functions/domain/checkpoint.js';
import { buildJwks } from '../../functions/domain/jwks.js';
import { keyObjectSigner } from '../../functions/signing/key-signer.js';
import { kmsSigner } from '../../functions/signing/kms-signer.js';

const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const payload: CheckpointPayload = {
  talksId: 'gaza-ceasefire-2025',
  treeSize: 18,
  rootHash: 'ab'.repeat(32),
  signedAt: '2025-01-15T10:00:00.000Z',
};
const signerKey = newKey();
const signer = await keyObjectSigner(signerKey);
const other = await keyObjectSigner(newKey());
const jwks = buildJwks(signer);
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('signed checkpoints', () => {
  it('are compact ES256 JWS with a kid header over exactly the four payload fields', async () => {
    const jws = await signCheckpoint(signer, payload);
    const [header, body, signature] = jws.split('.');
    expect(decode(header!)).toEqual({ alg: 'ES256', kid: signer.kid });
    expect(Object.keys(decode(body!))).toEqual(['talksId', 'treeSize', 'rootHash', 'signedAt']);
    expect(Buffer.from(signature!, 'base64url')).toHaveLength(64);
    expect(await verifyCheckpoint(jws, jwks)).toEqual({ ok: true, payload, kid: signer.kid });
  });

  it('name what failed: an unknown key, a bad signature, a malformed token, a payload that is not a checkpoint', async () => {
    const jws = await signCheckpoint(signer, payload);
    const [header, body, signature] = jws.split('.');
    const forged = await signCheckpoint(other, payload);
    const sameKidOtherKey = { keys: [{ ...jwks.keys[0]!, x: other.publicJwk.x, y: other.publicJwk.y }] };
    const changedBody = `${header}.${Buffer.from(JSON.stringify({ ...payload, treeSize: 19 })).toString('base64url')}.${signature}`;
    const unsignedPayload = await new CompactSign(new TextEncoder().encode('{"talksId":"x"}'))
      .setProtectedHeader({ alg: 'ES256', kid: signer.kid })
      .sign(signerKey);
    const noKid = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${body}.${signature}`;
    const cases: [string, object, string][] = [
      [forged, jwks, 'unknown-key'],
      [jws, buildJwks(other), 'unknown-key'],
      [jws, sameKidOtherKey, 'bad-signature'],
      [changedBody, jwks, 'bad-signature'],
      ['not.a.jws', jwks, 'malformed'],
      [noKid, jwks, 'malformed'],
      [unsignedPayload, jwks, 'bad-payload'],
    ];
    for (const [token, keys, failure] of cases)
      expect(await verifyCheckpoint(token, keys as typeof jwks)).toMatchObject({ ok: false, failure });
  });

  it('verify an API answer only when its plain fields say what was signed', async () => {
    const response = checkpointResponse(payload, await signCheckpoint(signer, payload));
    expect(await verifyCheckpointResponse(response, jwks)).toMatchObject({ ok: true });
    expect(await verifyCheckpointResponse({ ...response, rootHash: 'cd'.repeat(32) }, jwks)).toMatchObject({
      ok: false,
      failure: 'fields-differ',
      detail: expect.stringContaining('rootHash'),
    });
  });

  it('refuse to hand out a signature the signer’s public key does not verify', async () => {
    const lying: CheckpointSigner = { ...signer, sign: other.sign };
    await expect(signCheckpoint(lying, payload)).rejects.toThrow(/does not verify/);
    await expect(signCheckpoint(signer, { ...payload, rootHash: 'AB'.repeat(32) })).rejects.toThrow();
  });
});

describe('the JWKS', () => {
  it('lists the current key first, then retired ones, each once, public members only', async () => {
    const retired = await keyObjectSigner(newKey());
    const withPrivate = { ...signer, publicJwk: { ...signer.publicJwk, d: 'secret' } as typeof signer.publicJwk };
    const set = buildJwks(withPrivate, [retired, signer]);
    expect(set.keys.map((k) => k.kid)).toEqual([signer.kid, retired.kid]);
    for (const key of set.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
  });

  it('keeps checkpoints of a retired key verifying', async () => {
    const retired = await keyObjectSigner(newKey());
    const old = await signCheckpoint(retired, payload);
    expect(await verifyCheckpoint(old, buildJwks(signer, [retired]))).toMatchObject({ ok: true, kid: retired.kid });
    expect(await verifyCheckpoint(old, buildJwks(signer))).toMatchObject({ ok: false, failure: 'unknown-key' });
  });
});

describe('the KMS signer (a mocked KMS client)', () => {
  it('asks KMS for an ECDSA_SHA_256 signature of the raw signing input and converts its DER answer', async () => {
    const key = newKey();
    const sent: unknown[] = [];
    const client = {
      async send(command: unknown) {
        sent.push(command);
        if (command instanceof GetPublicKeyCommand)
          return {
            KeySpec: 'ECC_NIST_P256',
            KeyUsage: 'SIGN_VERIFY',
            PublicKey: createPublicKey(key).export({ format: 'der', type: 'spki' }),
          };
        if (command instanceof SignCommand)
          return { Signature: sign('sha256', command.input.Message as Uint8Array, { key, dsaEncoding: 'der' }) };
        throw new Error('unexpected command');
      },
    };
    const kms = await kmsSigner(client as never, 'arn:aws:kms:eu-west-1:111122223333:key/checkpoints');
    expect(kms.kid).toBe((await keyObjectSigner(key)).kid);
    for (let i = 0; i < 20; i += 1) {
      const jws = await signCheckpoint(kms, { ...payload, treeSize: i });
      expect(await verifyCheckpoint(jws, buildJwks(kms))).toMatchObject({ ok: true });
    }
    const signs = sent.filter((c): c is SignCommand => c instanceof SignCommand);
    expect(signs).toHaveLength(20);
    expect(signs[0]!.input).toMatchObject({
      KeyId: 'arn:aws:kms:eu-west-1:111122223333:key/checkpoints',
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(Buffer.from(signs[0]!.input.Message as Uint8Array).toString('ascii')).toMatch(/^[\w-]+\.[\w-]+$/);
  });

  it('refuses a KMS key that is not a P-256 signing key', async () => {
    const client = { send: async () => ({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', PublicKey: new Uint8Array(1) }) };
    await expect(kmsSigner(client as never, 'alias/wrong')).rejects.toThrow(/RSA_2048/);
  });
});

describe('the local key file', () => {
  it('is created with mode 0600 on first use and gives the same key afterwards', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'talks-key-')), 'data', 'checkpoint-key.pem');
    const first = await loadOrCreateLocalSigner(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const again = await loadOrCreateLocalSigner(file);
    expect(again.kid).toBe(first.kid);
    expect(await verifyCheckpoint(await signCheckpoint(again, payload), buildJwks(first))).toMatchObject({ ok: true });
  });

  it('is refused when others can read it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'talks-key-')), 'checkpoint-key.pem');
    await loadOrCreateLocalSigner(file);
    chmodSync(file, 0o644);
    await expect(loadOrCreateLocalSigner(file)).rejects.toThrow(/readable by others \(mode 644\)/);
  });
});
