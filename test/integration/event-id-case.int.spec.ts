import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSubmission } from '../../functions/controllers/append-events-controller.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { readLog } from '../../functions/store/read-log.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});

/** A body as a client sends it, through the parsing the append controller does. */
const body = (eventId: string) => ({
  eventId,
  type: 'talks.opened',
  reportedAt: '2025-01-13T12:00:00Z',
  source: { name: 'Reuters' },
  data: { title: 'Case talks', parties: ['A', 'B'] },
});

describe('eventId is a UUID in either case', () => {
  it('stores the id in lower case, and a resend in upper case is a replay, not a second event', async () => {
    const talksId = `case-${randomUUID().slice(0, 8)}`;
    const id = randomUUID();
    const first = await appendEvents(store.ctx, { talksId, events: parseSubmission(body(id.toUpperCase())), principal: 'a' });
    expect(first.outcome).toBe('appended');
    expect(first.events[0]?.eventId).toBe(id);
    for (const spelling of [id, id.toUpperCase(), `${id.slice(0, 9).toUpperCase()}${id.slice(9)}`]) {
      const again = await appendEvents(store.ctx, { talksId, events: parseSubmission(body(spelling)), principal: 'a' });
      expect({ spelling, outcome: again.outcome, version: again.statusVersion }).toEqual({ spelling, outcome: 'replayed', version: 1 });
    }
    expect((await readLog(store.ctx, talksId)).map((e) => e.eventId)).toEqual([id]);
  });
});
