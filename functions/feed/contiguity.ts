import { genesisHash } from '../domain/hash-chain.js';

/** Where one talks stands for the consumer: the last version it handed to every sink. */
export interface FeedPosition {
  readonly version: number;
  readonly headHash: string;
}

/**
 * What a stored event means to a consumer at a position. The stream may repeat records
 * (a retried batch, a catch-up that overlapped it) and can lose them (a consumer down
 * longer than its 24 h retention): repeats are dropped, holes are filled from the log,
 * and a link that does not match is never papered over.
 */
export type Arrival =
  | { readonly kind: 'seen' }
  | { readonly kind: 'next' }
  | { readonly kind: 'gap'; readonly after: number; readonly before: number }
  | { readonly kind: 'broken'; readonly reason: string };

/** The position before a talks' first event. */
export const startOfLog: FeedPosition = { version: 0, headHash: genesisHash };

export function classifyArrival(position: FeedPosition | undefined, event: { version: number; prevHash: string }): Arrival {
  const at = position ?? startOfLog;
  if (event.version <= at.version) return { kind: 'seen' };
  if (event.version > at.version + 1) return { kind: 'gap', after: at.version, before: event.version };
  if (event.prevHash !== at.headHash)
    return {
      kind: 'broken',
      reason: `version ${event.version} links to ${event.prevHash}, but version ${at.version} has hash ${at.headHash}`,
    };
  return { kind: 'next' };
}
