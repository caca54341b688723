import { randomUUID } from 'node:crypto';
import { identifySubmission, stamp } from '../functions/domain/decide-append.js';
import { genesisHash } from '../functions/domain/hash-chain.js';
import type { StoredEvent, SubmittedEvent } from '../functions/domain/submitted-event.js';

/**
 * A log stored in memory by the store's own stamping (functions/domain/decide-append.ts:
 * versions, recorder, schema versions, hash chain), one event per submission, each at the
 * transaction time given: for pure tests of projection and audit, and for bench fixtures.
 */
export function storeLog(
  talksId: string,
  events: readonly SubmittedEvent[],
  options: { recordedAt?: (i: number) => string; startVersion?: number; prevHash?: string; recordedBy?: string } = {},
): StoredEvent[] {
  const start = options.startVersion ?? 1;
  let head = { version: start - 1, updatedAt: '', headHash: options.prevHash ?? genesisHash };
  return identifySubmission(events, randomUUID).map((identified, i) => {
    const now = new Date(options.recordedAt?.(i) ?? Date.UTC(2025, 0, 13, 12, 0, i));
    const [stored] = stamp(talksId, head, [identified], { now, principal: options.recordedBy ?? 'test' });
    if (stored === undefined) throw new Error('stamp returned nothing');
    head = { version: stored.version, updatedAt: stored.recordedAt, headHash: stored.hash };
    return stored;
  });
}
