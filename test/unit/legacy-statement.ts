import { hashEvent } from '../../functions/domain/hash-chain.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { opened, storeAll, submitted } from '../support/event-builders.js';
import { talksId } from './given.js';

/** A statement.issued as written today (schema version 2) and as version 1 wrote it. */
export const v2Statement = {
  speaker: { name: "Gideon Sa'ar", role: 'Foreign Minister', affiliation: 'Israel' },
  stance: 'optimistic',
  summary: 'There is progress in the negotiations',
};
export const v1Statement = {
  speaker: "Gideon Sa'ar",
  affiliation: 'Israel',
  speakerRole: 'Foreign Minister',
  stance: 'optimistic',
  summary: 'There is progress in the negotiations',
};

/** A log whose second event was written when statement.issued was at schema version 1. */
export function logWithV1Statement(v1Data: Record<string, unknown>, ...after: Parameters<typeof storeAll>[1]): StoredEvent[] {
  const [first, second, ...rest] = storeAll(talksId, [
    opened(),
    submitted('statement.issued', v2Statement, { occurredAt: '2025-01-13T00:00:00Z' }),
    ...after,
  ]);
  const { hash, ...v2 } = second as StoredEvent;
  const asWritten = { ...v2, schemaVersion: 1, data: v1Data } as unknown as Omit<StoredEvent, 'hash'>;
  const old = { ...asWritten, hash: hashEvent(asWritten) } as StoredEvent;
  return [first as StoredEvent, old, ...storeAll(talksId, rest, { startVersion: 3, prevHash: old.hash })];
}
