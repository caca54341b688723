import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { startLocalService } from '../../bin/local/local-service.js';
import { parseSubmission } from '../../functions/controllers/append-events-controller.js';
import type { SubmittedEvent } from '../../functions/domain/submitted-event.js';
import { rebuildStatusJob } from '../../functions/jobs/rebuild-status-job.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { writeEventIdAliases } from '../../functions/store/event-id-aliases.js';
import { readLog } from '../../functions/store/read-log.js';
import { createTestStore, type TestStore, testDynamo } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});

const opening = (eventId: string) => ({
  eventId,
  type: 'talks.opened',
  reportedAt: '2025-01-13T12:00:00Z',
  source: { name: 'Reuters' },
  data: { title: 'Legacy talks', parties: ['A', 'B'] },
});
const assessment = (eventId: string) => ({
  eventId,
  type: 'progress.assessed',
  reportedAt: '2025-01-14T12:00:00Z',
  source: { name: 'Reuters' },
  data: { assessment: 'some_progress', by: 'A mediator' },
});

/**
 * Writes a talks as the store did before event ids were lower-cased: the parsed events keep
 * the upper-case spelling the client sent, so the event item and its idempotency record
 * (`event#<UPPER>`) hold it.
 */
async function storeLegacy(talksId: string, ids: string[]) {
  const events = parseSubmission({ events: [opening(ids[0] as string), ...ids.slice(1).map(assessment)] }).map(
    (e, i) => ({ ...e, eventId: ids[i] }) as SubmittedEvent,
  );
  await appendEvents(store.ctx, { talksId, events, principal: 'legacy' });
  const key = (id: string) => ({ TableName: store.tables.events, Key: { pk: `event#${id}`, sk: 0 }, ConsistentRead: true });
  for (const id of ids) {
    // In the layout of that time: full names, the kind, the content hash in hex.
    const { t, v, h, ...keys } = (await store.raw.send(new GetCommand(key(id)))).Item ?? {};
    expect(t).toBe(talksId);
    await store.raw.send(
      new PutCommand({
        TableName: store.tables.events,
        Item: { ...keys, kind: 'idempotency', talksId: t, version: v, contentHash: Buffer.from(h as Uint8Array).toString('hex') },
      }),
    );
    expect((await store.raw.send(new GetCommand(key(id)))).Item).toMatchObject({ talksId, kind: 'idempotency' });
    expect((await store.raw.send(new GetCommand(key(id.toLowerCase())))).Item).toBeUndefined();
  }
}

/** A store of its own holding one legacy talks (a full pass sees only that store). */
async function legacyStore(talksId: string, id: string): Promise<TestStore> {
  const legacy = await createTestStore();
  const saved = store;
  store = legacy;
  try {
    await storeLegacy(talksId, [id]);
  } finally {
    store = saved;
  }
  return legacy;
}

const resend = (talksId: string, body: unknown) => appendEvents(store.ctx, { talksId, events: parseSubmission(body), principal: 'a' });

describe('event ids stored in upper case before ids were lower-cased', () => {
  it('are aliased in lower case, so a resend in any spelling is a replay, never a second event', async () => {
    const talksId = `legacy-${randomUUID().slice(0, 8)}`;
    const first = randomUUID().toUpperCase();
    const second = randomUUID().toUpperCase();
    await storeLegacy(talksId, [first, second]);

    const report = await writeEventIdAliases(store.ctx);
    expect(report).toMatchObject({ written: 2, duplicates: [], unverified: 0 });

    for (const spelling of [first, first.toLowerCase(), `${first.slice(0, 4).toLowerCase()}${first.slice(4)}`]) {
      const again = await resend(talksId, opening(spelling));
      expect({ spelling, outcome: again.outcome, versions: again.events.map((e) => e.version) }).toEqual({
        spelling,
        outcome: 'replayed',
        versions: [1],
      });
    }
    // A batch that repeats an old event beside a new one stores only the new one.
    const fresh = randomUUID();
    const mixed = await resend(talksId, { events: [assessment(second.toLowerCase()), assessment(fresh)] });
    expect(mixed.outcome).toBe('appended');
    expect(mixed.events.map((e) => [e.eventId, e.version])).toEqual([
      [second, 2],
      [fresh, 3],
    ]);
    expect((await readLog(store.ctx, talksId)).map((e) => e.eventId)).toEqual([first, second, fresh]);

    // The same id with other content is still an id reused.
    await expect(resend(talksId, { ...assessment(second.toLowerCase()), reportedAt: '2025-01-15T12:00:00Z' })).rejects.toMatchObject({
      slug: 'event-id-reused',
    });
    // A second pass finds the aliases in place and writes nothing.
    expect(await writeEventIdAliases(store.ctx)).toMatchObject({ written: 0, duplicates: [] });
  });

  it('are aliased by a full run of the rebuild job (the deployed cure)', async () => {
    const talksId = `legacy-${randomUUID().slice(0, 8)}`;
    const id = randomUUID().toUpperCase();
    const legacy = await legacyStore(talksId, id);
    const result = await rebuildStatusJob(legacy.runtime)({});
    expect(result.eventIdAliases).toMatchObject({ found: 1, written: 1, duplicates: [] });
    const again = await appendEvents(legacy.ctx, { talksId, events: parseSubmission(opening(id.toLowerCase())), principal: 'a' });
    expect(again.outcome).toBe('replayed');
  });

  it('are aliased by the local server before it serves, once per store', async () => {
    const talksId = `legacy-${randomUUID().slice(0, 8)}`;
    const id = randomUUID().toUpperCase();
    const legacy = await legacyStore(talksId, id);
    const lines: string[] = [];
    const { endpoint, credentials } = testDynamo();
    const service = await startLocalService({
      port: 0,
      dynamoEndpoint: endpoint,
      dynamoCredentials: credentials,
      tableNames: legacy.tables,
      log: (line) => lines.push(line),
      feed: false,
    });
    try {
      const response = await fetch(`${service.url}/talks/${talksId}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
        body: JSON.stringify(opening(id.toLowerCase())),
      });
      expect(response.status).toBe(200);
      expect((await readLog(legacy.ctx, talksId)).length).toBe(1);
      expect(lines.some((l) => l.includes('aliased in lower case'))).toBe(true);
    } finally {
      await service.stop();
    }
  });
});
