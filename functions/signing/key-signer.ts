import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { CheckpointSigner } from '../domain/checkpoint.js';
import { ecPublicJwk, keyId } from '../domain/jwks.js';

/** A signer over a P-256 private key held in this process (the local server's key file). */
export async function keyObjectSigner(privateKey: KeyObject): Promise<CheckpointSigner> {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new RangeError('a checkpoint key is a P-256 private key');
  const publicJwk = ecPublicJwk(createPublicKey(privateKey).export({ format: 'jwk' }));
  return {
    kid: await keyId(publicJwk),
    publicJwk,
    sign: async (signingInput) => sign('sha256', signingInput, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
  };
}

/** A signer over a key made now and kept in memory only: tests and benches, never a deployment. */
export const freshKeySigner = (): Promise<CheckpointSigner> =>
  keyObjectSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
