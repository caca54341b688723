import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { hashEvent } from '../../functions/domain/hash-chain.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { auditTalks } from '../../functions/store/audit-log.js';
import { readHistory } from '../../functions/store/read-history.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { rebuildTalks } from '../../functions/store/rebuild-status.js';
import { statusAtVersion } from '../../functions/store/time-travel.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore } from '../support/test-store.js';

describe('events stored in an old schema version', () => {
  it('are kept as written, hash-verified, and read in the current shape by the projection', async () => {
    const store = await createTestStore();
    const [first] = (await appendEvents(store.ctx, { talksId: 'old', events: [opened()], principal: 'a' })).events;
    // Written as the first release of statement.issued did: speaker as a plain string.
    const legacy = {
      talksId: 'old',
      version: 2,
      eventId: '7c6f5a36-4b3f-4e55-9d6c-1f2a3b4c5d6e',
      type: 'statement.issued',
      reportedAt: '2024-06-01T00:00:00.000Z',
      recordedAt: new Date(Date.parse(first!.recordedAt) + 1000).toISOString(),
      recordedBy: 'legacy-importer',
      source: { name: 'Reuters', anonymous: false },
      data: {
        speaker: 'Osama Hamdan',
        speakerRole: 'Spokesman',
        affiliation: 'Hamas',
        stance: 'cautious',
        summary: 'Hamas is studying the proposal',
      },
      schemaVersion: 1,
      prevHash: first!.hash,
    };
    const stored = { ...legacy, hash: hashEvent(legacy) };
    await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: { pk: 'old', sk: 2, kind: 'event', ...stored } }));
    await rebuildTalks(store.ctx, 'old');

    const status = (await readStatusItem(store.ctx, 'old'))!.status;
    expect(status.positions).toEqual([
      expect.objectContaining({
        party: 'Hamas',
        kind: 'statement',
        stance: 'cautious',
        speaker: { name: 'Osama Hamdan', role: 'Spokesman', affiliation: 'Hamas' },
      }),
    ]);
    expect((await statusAtVersion(store.ctx, 'old', 2)).positions[0]?.speaker?.name).toBe('Osama Hamdan');
    const history = await readHistory(store.ctx, 'old', { after: 1, limit: 1 });
    expect(history.items[0]).toMatchObject({ schemaVersion: 1, data: { speaker: 'Osama Hamdan' } });
    expect((await auditTalks(store.ctx, 'old')).ok).toBe(true);

    // New developments append after the old one and link to its hash.
    const next = await appendEvents(store.ctx, { talksId: 'old', events: [submitted('talks.stalled', {})], principal: 'a' });
    expect(next.events[0]).toMatchObject({ version: 3, prevHash: stored.hash });
  });
});
