import type { JSONWebKeySet } from 'jose';
import type { CheckpointSigner } from '../domain/checkpoint.js';
import { buildJwks, type PublishedKey } from '../domain/jwks.js';

/**
 * The checkpoint key as the store and the routes see it: the one signer (a local key file
 * or AWS KMS, both behind CheckpointSigner) and the published keys. Loading a KMS signer
 * is a network call (GetPublicKey), so it happens on first use, not at init, and a failed
 * load is tried again on the next use rather than remembered. The retired keys (public
 * keys only: they sign nothing more) are loaded the same way; a key rotation moves the
 * current key there, so the checkpoints it signed keep verifying through the JWKS.
 */
export interface CheckpointKeys {
  signer(): Promise<CheckpointSigner>;
  /** The current key and the retired ones, as GET /.well-known/jwks.json publishes them. */
  jwks(): Promise<JSONWebKeySet>;
}

export function checkpointKeys(
  load: () => Promise<CheckpointSigner>,
  retired: readonly PublishedKey[] | (() => Promise<readonly PublishedKey[]>) = [],
): CheckpointKeys {
  const signer = onceUntilFailed(load);
  const retiredKeys = typeof retired === 'function' ? onceUntilFailed(retired) : () => Promise.resolve(retired);
  return { signer, jwks: async () => buildJwks(await signer(), await retiredKeys()) };
}

/** Remembers a load that succeeded; forgets one that failed, so the next use tries again. */
function onceUntilFailed<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/** For a function deployed without the key: using it is a configuration error, said plainly. */
export const noCheckpointKeys = (why: string): CheckpointKeys => ({
  signer: () => Promise.reject(new Error(why)),
  jwks: () => Promise.reject(new Error(why)),
});
