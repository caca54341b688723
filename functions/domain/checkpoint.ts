import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet } from 'jose';
import * as z from 'zod/mini';
import type { EcPublicJwk } from './jwks.js';

/**
 * A checkpoint: a talks' tree size and root hash at a moment, signed as a compact JWS
 * (RFC 7515, ES256, `kid` header). The contract is fixed (issue 12): outside verifiers
 * check it with any JOSE library, or with openssl (README "Verify it yourself").
 */

export const CheckpointPayload = z.strictObject({
  talksId: z.string().check(z.minLength(1)),
  treeSize: z.int().check(z.minimum(0)),
  rootHash: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'rootHash is 64 lowercase hex digits')),
  signedAt: z.iso.datetime({ offset: true }),
});
export type CheckpointPayload = z.infer<typeof CheckpointPayload>;

/** What GET /talks/{talksId}/checkpoint answers, and what `talks verify --checkpoint` reads. */
export const CheckpointResponse = z.extend(CheckpointPayload, { checkpoint: z.string().check(z.minLength(1)) });
export type CheckpointResponse = z.infer<typeof CheckpointResponse>;

/** Signs with a key it never shows: a local key file, or AWS KMS. */
export interface CheckpointSigner {
  readonly kid: string;
  readonly publicJwk: EcPublicJwk;
  /** The raw 64-byte ES256 signature (r || s) of SHA-256(signingInput). */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

// The JWK import is a fifth of a local signature's cost: once per signer, not per append.
const publicKeys = new WeakMap<CheckpointSigner, KeyObject>();
function publicKeyOf(signer: CheckpointSigner): KeyObject {
  let key = publicKeys.get(signer);
  if (key === undefined) {
    key = createPublicKey({ key: { ...signer.publicJwk }, format: 'jwk' });
    publicKeys.set(signer, key);
  }
  return key;
}

/** The compact JWS of a checkpoint, checked against the signer's public key before it is handed out. */
export async function signCheckpoint(signer: CheckpointSigner, payload: CheckpointPayload): Promise<string> {
  const signingInput = Buffer.from(checkpointSigningInput(signer.kid, CheckpointPayload.parse(payload)), 'ascii');
  const signature = await signer.sign(signingInput);
  // A signer that answers with another key's signature (a misconfigured KMS key id) must
  // fail here, not in an auditor's hands months later.
  const publicKey = publicKeyOf(signer);
  if (signature.length !== 64 || !verify('sha256', signingInput, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature))
    throw new Error(`the signer ${signer.kid} returned a signature its public key does not verify`);
  return `${signingInput.toString('ascii')}.${base64url(signature)}`;
}

/**
 * The JWS signing input: header and payload serialised one way only, so that a checkpoint
 * stored as its parts (payload, kid, raw signature) is rebuilt byte for byte.
 */
export function checkpointSigningInput(kid: string, { talksId, treeSize, rootHash, signedAt }: CheckpointPayload): string {
  return `${base64url(JSON.stringify({ alg: 'ES256', kid }))}.${base64url(JSON.stringify({ talksId, treeSize, rootHash, signedAt }))}`;
}

/** The compact JWS from its stored parts (see signCheckpoint). */
export const assembleCheckpoint = (kid: string, payload: CheckpointPayload, signature: Uint8Array): string =>
  `${checkpointSigningInput(kid, payload)}.${base64url(signature)}`;

/** The raw signature of a compact JWS (its third part). */
export const checkpointSignature = (jws: string): Buffer => Buffer.from(jws.split('.')[2] ?? '', 'base64url');

export const checkpointResponse = (payload: CheckpointPayload, checkpoint: string): CheckpointResponse => ({ ...payload, checkpoint });

export type CheckpointFailure = 'malformed' | 'unknown-key' | 'bad-signature' | 'bad-payload' | 'fields-differ';

export type CheckpointVerification =
  | { ok: true; payload: CheckpointPayload; kid: string }
  | { ok: false; failure: CheckpointFailure; detail: string };

const failed = (failure: CheckpointFailure, detail: string): CheckpointVerification => ({ ok: false, failure, detail });

/** Verifies a compact JWS checkpoint against a JWKS: the signed payload, or what failed. */
export async function verifyCheckpoint(jws: string, jwks: JSONWebKeySet): Promise<CheckpointVerification> {
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(jws).kid;
  } catch (error) {
    return failed('malformed', `not a compact JWS: ${(error as Error).message}`);
  }
  if (typeof kid !== 'string' || kid === '') return failed('malformed', 'the JWS has no kid header');
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['ES256'] }));
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return failed('unknown-key', `no ES256 key with kid ${kid} in the JWKS`);
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return failed('bad-signature', `the signature does not verify with the key ${kid}`);
    if (error instanceof errors.JOSEAlgNotAllowed) return failed('malformed', 'the JWS is not ES256');
    if (error instanceof errors.JOSEError) return failed('malformed', error.message);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return failed('bad-payload', 'the signed payload is not JSON');
  }
  const parsed = CheckpointPayload.safeParse(json);
  if (!parsed.success) return failed('bad-payload', `the signed payload is not a checkpoint: ${parsed.error.issues[0]?.message ?? ''}`);
  return { ok: true, payload: parsed.data, kid };
}

/** Verifies an API answer: the JWS, and that its plain fields say what was signed. */
export async function verifyCheckpointResponse(response: CheckpointResponse, jwks: JSONWebKeySet): Promise<CheckpointVerification> {
  const verified = await verifyCheckpoint(response.checkpoint, jwks);
  if (!verified.ok) return verified;
  for (const field of ['talksId', 'treeSize', 'rootHash', 'signedAt'] as const) {
    if (response[field] !== verified.payload[field])
      return failed('fields-differ', `${field} is ${String(response[field])} but the signature covers ${String(verified.payload[field])}`);
  }
  return verified;
}
