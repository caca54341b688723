import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SubmittedEvent } from '../../functions/domain/submitted-event.js';
import { toEventItem } from '../../functions/store/item-keys.js';
import { historyScanCap, historyScanPage, readHistory } from '../../functions/store/read-history.js';
import { storeLog } from '../../harness/stored-log.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

/**
 * A filtered history read on a long log costs a few large queries, and one request
 * examines a bounded number of events before it hands back a cursor (a public read of a
 * rare type once took about 1,250 sequential queries on a 2,500-event talks).
 */
let store: TestStore;
const length = historyScanCap + 200;
const talksId = 'history-scan';

beforeAll(async () => {
  store = await createTestStore();
  const events: SubmittedEvent[] = [opened()];
  while (events.length < length - 1)
    events.push(submitted('progress.assessed', { assessment: 'no_change', by: 'mediators', summary: `Day ${events.length}` }));
  events.push(submitted('talks.concluded', {}));
  const log = storeLog(talksId, events);
  for (let i = 0; i < log.length; i += 25) {
    const requests = log.slice(i, i + 25).map((e) => ({ PutRequest: { Item: toEventItem(e) } }));
    await store.raw.send(new BatchWriteCommand({ RequestItems: { [store.tables.events]: requests } }));
  }
}, 120_000);

describe('a filtered history read', () => {
  it('examines fixed pages and stops at the cap with a cursor that continues the search', async () => {
    store.counter.reset();
    const first = await readHistory(store.ctx, talksId, { after: 0, limit: 1, types: ['talks.concluded'] });
    expect(first).toEqual({ items: [], nextAfter: historyScanCap });
    expect(store.counter.counts.get('Query')).toBe(Math.ceil(historyScanCap / historyScanPage));

    store.counter.reset();
    const second = await readHistory(store.ctx, talksId, { after: first.nextAfter ?? 0, limit: 1, types: ['talks.concluded'] });
    expect(second.items.map((e) => [e.version, e.type])).toEqual([[length, 'talks.concluded']]);
    expect(second.nextAfter).toBeNull();
    expect(store.counter.counts.get('Query')).toBe(1);
  });

  it('fills a page of a common type from one query, with the cursor after its last item', async () => {
    store.counter.reset();
    const page = await readHistory(store.ctx, talksId, { after: 0, limit: 10, types: ['progress.assessed'] });
    expect(page.items.map((e) => e.version)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(page.nextAfter).toBe(11);
    expect(store.counter.counts.get('Query')).toBe(1);
  });

  it('reads an unfiltered page in one query of limit + 1', async () => {
    store.counter.reset();
    const page = await readHistory(store.ctx, talksId, { after: 100, limit: 5 });
    expect(page.items.map((e) => e.version)).toEqual([101, 102, 103, 104, 105]);
    expect(page.nextAfter).toBe(105);
    expect(store.counter.calls).toMatchObject([{ command: 'Query', itemsRead: 6 }]);
  });
});
