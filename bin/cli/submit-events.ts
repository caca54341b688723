import { randomUUID } from 'node:crypto';
import { type ApiClient, talksPath } from './api-client.js';
import type { Progress } from './output.js';

/** The submission limit of the API: one transaction holds at most 25 events. */
export const batchSize = 25;

export interface StoredRow {
  talksId: string;
  version: number;
  type: string;
  eventId: string;
  recordedAt: string;
  outcome: 'stored' | 'replayed';
}

interface AppendResult {
  statusVersion: number;
  replayedEventIds: string[];
  events: { talksId: string; version: number; type: string; eventId: string; recordedAt: string }[];
}

/**
 * Submits events to one talks in batches of 25, each event with an id (given, or made
 * here) so that a resent batch is an idempotent success. With `expectedVersion` each
 * batch is appended only on top of the one before it (If-Match), so nothing interleaves.
 */
export async function submitInBatches(
  client: ApiClient,
  talksId: string,
  events: readonly Record<string, unknown>[],
  options: { progress: Progress; expectedVersion?: number; label?: string },
): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  let expected = options.expectedVersion;
  for (let start = 0; start < events.length; start += batchSize) {
    const batch = events.slice(start, start + batchSize).map((e) => ({ ...e, eventId: e.eventId ?? randomUUID() }));
    const { body } = await client.request<AppendResult>('POST', talksPath(talksId, '/events'), {
      body: batch.length === 1 ? batch[0] : { events: batch },
      ...(expected === undefined ? {} : { headers: { 'if-match': `"${expected}"` } }),
    });
    const replayed = new Set(body.replayedEventIds);
    for (const e of body.events)
      rows.push({
        talksId: e.talksId,
        version: e.version,
        type: e.type,
        eventId: e.eventId,
        recordedAt: e.recordedAt,
        outcome: replayed.has(e.eventId) ? 'replayed' : 'stored',
      });
    if (expected !== undefined) expected = body.statusVersion;
    // Progress only for work of several transactions: one batch is over before it shows.
    if (events.length > batchSize)
      options.progress.update(
        `${options.label ?? 'submitted'} ${Math.min(start + batchSize, events.length)}/${events.length} events to ${talksId}`,
      );
  }
  return rows;
}
