import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CheckpointSigner } from '../../functions/domain/checkpoint.js';
import { ecPublicJwk, keyId, type PublishedKey } from '../../functions/domain/jwks.js';
import { type CheckpointKeys, checkpointKeys } from '../../functions/signing/checkpoint-keys.js';
import { freshKeySigner, keyObjectSigner } from '../../functions/signing/key-signer.js';

/** Where the local server keeps its checkpoint key, in its data dir (.talks by default). */
export const localKeyFile = (dataDir: string) => join(dataDir, 'checkpoint-key.pem');

/**
 * The local checkpoint signer: a P-256 key in a PKCS #8 PEM file, created on first use
 * with mode 0600. A key file others can read is refused, as ssh refuses one: whoever can
 * read it can sign checkpoints.
 */
export async function loadOrCreateLocalSigner(file: string): Promise<CheckpointSigner> {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    try {
      // 'wx': of two servers starting at once, the second keeps the first one's key.
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it`);
  return keyObjectSigner(createPrivateKey(readFileSync(file, 'utf8')));
}

/**
 * Where the local server keeps the public keys of its retired checkpoint keys: one PEM
 * (SPKI) file each. A rotation: `openssl pkey -in checkpoint-key.pem -pubout` into this
 * folder, delete the key file, restart (README, Verify it yourself).
 */
export const localRetiredKeysDir = (dataDir: string) => join(dataDir, 'retired-checkpoint-keys');

/**
 * The retired keys in that folder, in file name order. Public keys only: a private key
 * there would be a signing key kept for nothing, so it is refused, as is anything that is
 * not a P-256 key.
 */
export async function loadRetiredKeys(dir: string): Promise<PublishedKey[]> {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .sort();
  return Promise.all(
    files.map(async (name) => {
      const file = join(dir, name);
      const pem = readFileSync(file, 'utf8');
      if (pem.includes('PRIVATE KEY'))
        throw new Error(`${file} holds a private key: a retired key keeps only its public key (openssl pkey -pubout)`);
      let publicJwk: PublishedKey['publicJwk'];
      try {
        publicJwk = ecPublicJwk(createPublicKey(pem).export({ format: 'jwk' }));
      } catch (error) {
        throw new Error(`${file} is not a P-256 public key in PEM: ${(error as Error).message}`);
      }
      return { kid: await keyId(publicJwk), publicJwk };
    }),
  );
}

/**
 * The local server's checkpoint keys: the key file in its data dir and the retired keys
 * beside it, or, for a server without one (tests, an in-memory store), a key that lives
 * as long as the process.
 */
export const localCheckpointKeys = (dataDir: string | undefined): CheckpointKeys =>
  dataDir === undefined
    ? checkpointKeys(freshKeySigner)
    : checkpointKeys(
        () => loadOrCreateLocalSigner(localKeyFile(dataDir)),
        () => loadRetiredKeys(localRetiredKeysDir(dataDir)),
      );
