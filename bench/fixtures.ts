import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { genesisHash } from '../functions/domain/hash-chain.js';
import { foldAfterSnapshot } from '../functions/domain/replay-policy.js';
import type { StoredEvent } from '../functions/domain/submitted-event.js';
import type { TalksStatus } from '../functions/domain/talks-status.js';
import { toEventItem } from '../functions/store/item-keys.js';
import { toStatusRecord } from '../functions/store/status-codec.js';
import type { StoreContext } from '../functions/store/store-context.js';
import { storeLog } from '../harness/stored-log.js';
import { inParallel } from './stats.js';
import { parsedEventAt } from './workload.js';

/**
 * A hash-chained log built in memory exactly as the store builds it (versions, prevHash,
 * hash), recordedAt one second apart. Built in chunks so the chain continues across them.
 */
export function storedHistory(talksId: string, length: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prevHash = genesisHash;
  for (let start = 0; start < length; start += 1000) {
    const chunk = Array.from({ length: Math.min(1000, length - start) }, (_, j) => parsedEventAt(start + j));
    const stored = storeLog(talksId, chunk, {
      startVersion: start + 1,
      prevHash,
      recordedAt: (i) => new Date(Date.UTC(2025, 0, 13) + (start + i) * 1000).toISOString(),
    });
    prevHash = stored.at(-1)?.hash ?? prevHash;
    events.push(...stored);
  }
  return events;
}

/**
 * Benchmark fixture for very long histories: the pre-hashed events put directly with
 * BatchWriteItem (25 a call, a few calls in flight) and the status item folded from them,
 * instead of thousands of append transactions. What the audit reads is the same log;
 * idempotency records and snapshots, which the audit never reads, are left out.
 */
export async function loadFixture(ctx: StoreContext, events: readonly StoredEvent[], parallel = 4): Promise<TalksStatus> {
  const first = events[0];
  if (first === undefined) throw new Error('empty fixture');
  await inParallel(Math.ceil(events.length / 25), parallel, async (b) => {
    let requests = events.slice(b * 25, b * 25 + 25).map((e) => ({ PutRequest: { Item: toEventItem(e) } }));
    for (let round = 0; requests.length > 0; round += 1) {
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** round)));
      const result = await ctx.doc.send(new BatchWriteCommand({ RequestItems: { [ctx.tables.events]: requests } }));
      requests = (result.UnprocessedItems?.[ctx.tables.events] ?? []) as typeof requests;
    }
  });
  const status = foldAfterSnapshot(first.talksId, undefined, events);
  if (status === undefined) throw new Error('bench fixtures hold no revisions');
  await ctx.doc.send(new PutCommand({ TableName: ctx.tables.state, Item: toStatusRecord(status, ctx.newId()) }));
  return status;
}
