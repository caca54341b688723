import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks (standardwebhooks.com, v1): the secret is `whsec_` + base64 of the key;
 * the signature is `v1,` + base64 HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`
 * with the key's bytes; the timestamp is in seconds since the epoch.
 */
const secretPrefix = 'whsec_';

/** 32 random bytes: the spec asks for a key between 24 and 64 bytes. */
export const newSigningSecret = (): string => `${secretPrefix}${randomBytes(32).toString('base64')}`;

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(secretPrefix)) throw new Error('a signing secret starts with whsec_');
  return Buffer.from(secret.slice(secretPrefix.length), 'base64');
}

export const sign = (secret: string, id: string, timestampSeconds: number, body: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64')}`;

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signedHeaders(secret: string, id: string, at: Date, body: string): SignedHeaders {
  const timestamp = Math.floor(at.getTime() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secret, id, timestamp, body) };
}

/**
 * The message id of one change for one subscription: the same on every retry and every
 * replay of that change (a catch-up, an archive), so a receiver deduplicates by it.
 */
export const webhookIdOf = (subscriptionId: string, talksId: string, version: number): string =>
  `msg_${createHash('sha256').update(`${subscriptionId}\n${talksId}\n${version}`, 'utf8').digest('base64url').slice(0, 27)}`;
