import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalService } from '../../bin/local/local-service.js';
import type { FeedChange, FeedSink } from '../../functions/feed/feed-change.js';
import { opened } from '../support/event-builders.js';
import { postEvents, startTestService } from '../support/local-test-service.js';

/**
 * A local server started without its change feed (`feed: false`, `npm start -- --no-feed`)
 * reads nothing from DynamoDB Local's stream; started later, the feed first sweeps up from
 * the log what was appended meanwhile.
 */
const seen: FeedChange[] = [];
const recorder: FeedSink = {
  name: 'test-recorder',
  async deliver(change) {
    seen.push(change);
  },
};
let service: LocalService;

beforeAll(async () => {
  service = await startTestService('nofeed', { feed: false, feedSinks: [recorder] });
});
afterAll(async () => {
  await service?.stop();
});

describe('a local server without its change feed', () => {
  it('serves appends while nothing reads the stream, and a later start of the feed hands them over from the log', async () => {
    expect(service.feed.running).toBe(false);
    const talksId = `nofeed-${randomUUID().slice(0, 8)}`;
    expect((await postEvents(service, talksId, opened())).status).toBe(201);
    // The start resolves once its sweep is done: had a poller read the stream, the change
    // would have come from there, not as a replay from the log.
    await service.feed.start();
    expect(service.feed.running).toBe(true);
    expect(seen.filter((c) => c.talksId === talksId).map((c) => ({ version: c.version, replayed: c.replayed }))).toEqual([
      { version: 1, replayed: true },
    ]);
  });
});
