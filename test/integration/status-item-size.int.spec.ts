import { deflateRawSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { itemSize, transactionalWriteUnits } from '../../bench/capacity-rules.js';
import { buildHistory, parsedEventAt } from '../../bench/workload.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { statusKey } from '../../functions/store/item-keys.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { statusDictionary1 } from '../../functions/store/status-dictionary.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

/**
 * The status item as DynamoDB Local holds it, measured by the published size rules (the
 * bench's capacity-rules.ts), in the bench's steady state: the cycled scenario, one
 * development per submission, with the Merkle frontier the append keeps beside the status.
 * With codec 2 it stays in the 2 KB tier (4 write units in the append transaction) where
 * codec 1 crossed into the 3 KB tier (6 units) once the frontier grew, as at 1,000 events.
 */
let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});

const rawStatus = async (talksId: string) => {
  const result = await store.raw.send(new GetCommand({ TableName: store.tables.state, Key: statusKey(talksId), ConsistentRead: true }));
  if (result.Item === undefined) throw new Error(`no status item for ${talksId}`);
  return marshall(result.Item);
};

/** The same item had codec 1 written its status. */
async function asCodec1(talksId: string, item: Record<string, AttributeValue>) {
  const status = (await readStatusItem(store.ctx, talksId))?.status;
  const body = deflateRawSync(Buffer.from(JSON.stringify(status), 'utf8'), { level: 9, dictionary: Buffer.from(statusDictionary1) });
  return { ...item, statusD: { B: Buffer.concat([Uint8Array.of(1), body]) } };
}

async function singleAppends(talksId: string, from: number, to: number): Promise<number[]> {
  const sizes: number[] = [];
  for (let i = from; i < to; i += 1) {
    await appendEvents(store.ctx, { talksId, events: [parsedEventAt(i)], principal: 'size' });
    const item = await rawStatus(talksId);
    expect(item.statusD?.B?.[0]).toBe(2);
    expect(item.frontier?.B).toBeInstanceOf(Uint8Array);
    sizes.push(itemSize(item));
  }
  return sizes;
}

describe('the status item in steady state', () => {
  it('stays in the 2 KB tier for the cycled scenario up to 200 events, with its frontier', async () => {
    await buildHistory(store.ctx, 'size-200', 175);
    const sizes = await singleAppends('size-200', 175, 200);
    // Measured 2026-12-02: 1,470-1,637 B over versions 176-200 (codec 1 would add ~300 B).
    for (const bytes of sizes) expect(transactionalWriteUnits(bytes)).toBe(4);
    expect(Math.max(...sizes)).toBeLessThan(1_700);
  }, 120_000);

  it('keeps 4 write units at 1,000 events, where codec 1 needs 6', async () => {
    await buildHistory(store.ctx, 'size-1000', 999);
    const [bytes] = await singleAppends('size-1000', 999, 1000);
    const codec1 = itemSize(await asCodec1('size-1000', await rawStatus('size-1000')));
    // Measured 2026-12-02: 1,633 B, and 2,070 B as codec 1 (frontier of 6 hashes, 200 B, included).
    expect(transactionalWriteUnits(bytes as number)).toBe(4);
    expect(transactionalWriteUnits(codec1)).toBe(6);
  }, 300_000);
});
