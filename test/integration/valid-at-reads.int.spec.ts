import { beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../functions/store/append-events.js';
import { statusValidAt } from '../../functions/store/time-travel.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

/**
 * `validAt` needs every revision before it folds, so it reads the whole log: once (issue 11
 * found it read twice). Counted in items read and queries, not in time.
 */
let store: TestStore;
const events = 1 + 4 * 25;
beforeAll(async () => {
  store = await createTestStore();
  await appendEvents(store.ctx, { talksId: 'va', events: [opened({ occurredAt: '2024-01-01T00:00:00Z' })], principal: 'a' });
  for (let b = 0; b < 4; b += 1) {
    const batch = Array.from({ length: 25 }, (_, j) =>
      submitted('figure.reported', { metric: 'killed', value: b * 25 + j, unit: 'people', qualifier: 'about', originator: `O${j}` }),
    );
    await appendEvents(store.ctx, { talksId: 'va', events: batch, principal: 'a' });
  }
}, 60_000);

describe('a validAt read', () => {
  it('reads each event of the log once, in one pass of queries', async () => {
    const cost = await store.counter.measure(() => statusValidAt(store.ctx, 'va', '2025-06-01T00:00:00Z'));
    expect(cost.result.version).toBe(events);
    expect(cost.itemsRead).toBe(events);
    expect(cost.calls.every((c) => c.command === 'Query')).toBe(true);
  });
});
