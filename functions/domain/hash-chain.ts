import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The prevHash of a talks' first event. */
export const genesisHash = '0'.repeat(64);

/** RFC 8785 canonical JSON: the same bytes for the same value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  const json = canonicalize(value);
  if (json === undefined) throw new Error('value has no canonical JSON form');
  return json;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * hash = SHA-256(prevHash + canonical JSON of the stored event without its hash). The
 * event already carries prevHash, so each hash commits to the whole chain before it.
 */
export function hashEvent<T extends { prevHash: string }>(eventWithoutHash: T): string {
  return sha256Hex(eventWithoutHash.prevHash + canonicalJson(eventWithoutHash));
}

/** Recomputes a stored event's hash from its content. */
export function verifyEventHash(event: { prevHash: string; hash: string }): boolean {
  const { hash, ...rest } = event;
  return hashEvent(rest) === hash;
}
