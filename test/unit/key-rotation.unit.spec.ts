import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import {
  loadOrCreateLocalSigner,
  loadRetiredKeys,
  localCheckpointKeys,
  localKeyFile,
  localRetiredKeysDir,
} from '../../bin/local/local-signer.js';
import { kmsCheckpointKeysFromEnv as checkpointKeysFromEnv } from '../../functions/composition/kms-runtime.js';
import { retiredKeyArns } from '../../functions/composition/runtime.js';
import { type CheckpointPayload, signCheckpoint, verifyCheckpoint } from '../../functions/domain/checkpoint.js';
import { keyObjectSigner } from '../../functions/signing/key-signer.js';

/**
 * A key rotation keeps old checkpoints verifiable: the JWKS publishes the current key and
 * the retired ones, on AWS (retired KMS keys, public keys read with kms:GetPublicKey) and
 * locally (public key files beside the key file).
 */
const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const payload: CheckpointPayload = {
  talksId: 'gaza-ceasefire-2025',
  treeSize: 7,
  rootHash: 'cd'.repeat(32),
  signedAt: '2025-01-15T10:00:00.000Z',
};
const publicPem = (key: KeyObject) =>
  (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'pem', type: 'spki' }).toString();

/** A KMS that holds the given keys by ARN, and signs only with them (as KMS does). */
function fakeKms(keys: Record<string, KeyObject>) {
  const sent: { command: string; keyId: string }[] = [];
  const client = {
    async send(command: unknown) {
      if (command instanceof GetPublicKeyCommand) {
        const key = keys[command.input.KeyId as string];
        sent.push({ command: 'GetPublicKey', keyId: command.input.KeyId as string });
        if (key === undefined) throw new Error(`NotFoundException: ${command.input.KeyId}`);
        return {
          KeySpec: 'ECC_NIST_P256',
          KeyUsage: 'SIGN_VERIFY',
          PublicKey: createPublicKey(key).export({ format: 'der', type: 'spki' }),
        };
      }
      if (command instanceof SignCommand) {
        sent.push({ command: 'Sign', keyId: command.input.KeyId as string });
        const key = keys[command.input.KeyId as string] as KeyObject;
        return { Signature: sign('sha256', command.input.Message as Uint8Array, { key, dsaEncoding: 'der' }) };
      }
      throw new Error('unexpected command');
    },
  };
  return { client, sent };
}

describe('a key rotation on AWS', () => {
  const oldArn = 'arn:aws:kms:eu-west-1:111122223333:key/1111aaaa-0000-0000-0000-000000000001';
  const newArn = 'arn:aws:kms:eu-west-1:111122223333:key/2222bbbb-0000-0000-0000-000000000002';

  it('reads CHECKPOINT_RETIRED_KEY_ARNS as a comma-separated list', () => {
    expect(retiredKeyArns({ CHECKPOINT_RETIRED_KEY_ARNS: ` ${oldArn}, ,${newArn} ` })).toEqual([oldArn, newArn]);
    expect(retiredKeyArns({})).toEqual([]);
  });

  it('publishes the retired KMS key beside the current one, so checkpoints it signed still verify', async () => {
    const kms = fakeKms({ [oldArn]: newKey(), [newArn]: newKey() });
    const before = checkpointKeysFromEnv({ CHECKPOINT_KEY_ARN: oldArn }, () => kms.client);
    const old = await signCheckpoint(await before.signer(), payload);
    const after = checkpointKeysFromEnv({ CHECKPOINT_KEY_ARN: newArn, CHECKPOINT_RETIRED_KEY_ARNS: oldArn }, () => kms.client);
    const jwks = await after.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([(await after.signer()).kid, (await before.signer()).kid]);
    expect(await verifyCheckpoint(old, jwks)).toMatchObject({ ok: true, kid: (await before.signer()).kid });
    const fresh = await signCheckpoint(await after.signer(), { ...payload, treeSize: 8 });
    expect(await verifyCheckpoint(fresh, jwks)).toMatchObject({ ok: true, kid: (await after.signer()).kid });
    // Without the retired key in the JWKS, the old checkpoint is signed by an unknown key.
    const forgotten = await checkpointKeysFromEnv({ CHECKPOINT_KEY_ARN: newArn }, () => kms.client).jwks();
    expect(await verifyCheckpoint(old, forgotten)).toMatchObject({ ok: false, failure: 'unknown-key' });
    // The retired key is only ever asked for its public key.
    expect(kms.sent.filter((s) => s.command === 'Sign').map((s) => s.keyId)).toEqual([oldArn, newArn]);
  });

  it('fails the JWKS (and tries again next time) when a retired key cannot be read', async () => {
    const keys: Record<string, KeyObject> = { [newArn]: newKey() };
    const kms = fakeKms(keys);
    const after = checkpointKeysFromEnv({ CHECKPOINT_KEY_ARN: newArn, CHECKPOINT_RETIRED_KEY_ARNS: oldArn }, () => kms.client);
    await expect(after.jwks()).rejects.toThrow(/NotFoundException/);
    keys[oldArn] = newKey();
    expect((await after.jwks()).keys).toHaveLength(2);
  });
});

describe('a key rotation locally', () => {
  it('publishes the public keys in retired-checkpoint-keys/ after the current one, and old checkpoints verify', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talks-rotate-'));
    const first = await loadOrCreateLocalSigner(localKeyFile(dataDir));
    const old = await signCheckpoint(first, payload);
    // The rotation the README gives: keep the public key, drop the private one, restart.
    mkdirSync(localRetiredKeysDir(dataDir));
    writeFileSync(
      join(localRetiredKeysDir(dataDir), '2026-12-02.pem'),
      publicPem(createPublicKey(readFileSync(localKeyFile(dataDir), 'utf8'))),
    );
    rmSync(localKeyFile(dataDir));
    const keys = localCheckpointKeys(dataDir);
    const current = await keys.signer();
    expect(current.kid).not.toBe(first.kid);
    const jwks = await keys.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([current.kid, first.kid]);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect(await verifyCheckpoint(old, jwks)).toMatchObject({ ok: true, kid: first.kid });
  });

  it('refuses a private key, or anything but a P-256 public key, among the retired keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talks-retired-'));
    writeFileSync(join(dir, 'a.pem'), newKey().export({ format: 'pem', type: 'pkcs8' }));
    await expect(loadRetiredKeys(dir)).rejects.toThrow(/holds a private key/);
    const other = mkdtempSync(join(tmpdir(), 'talks-retired-'));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    writeFileSync(join(other, 'b.pem'), rsa.export({ format: 'pem', type: 'spki' }));
    await expect(loadRetiredKeys(other)).rejects.toThrow(/not a P-256 public key/);
    expect(await loadRetiredKeys(join(other, 'absent'))).toEqual([]);
  });

  it('keeps the retired keys in file name order, each once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talks-retired-'));
    const [a, b] = [newKey(), newKey()];
    writeFileSync(join(dir, '2025.pem'), publicPem(a));
    writeFileSync(join(dir, '2026.pem'), publicPem(b));
    writeFileSync(join(dir, 'notes.txt'), 'not a key');
    const kids = (await loadRetiredKeys(dir)).map((k) => k.kid);
    expect(kids).toEqual([(await keyObjectSigner(a)).kid, (await keyObjectSigner(b)).kid]);
  });
});
