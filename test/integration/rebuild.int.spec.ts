import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { project } from '../../functions/domain/project.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { auditTalks } from '../../functions/store/audit-log.js';
import { readLog } from '../../functions/store/read-log.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { rebuildMany, rebuildTalks } from '../../functions/store/rebuild-status.js';
import { fromSnapshotRecord } from '../../functions/store/status-codec.js';
import { statusAtVersion } from '../../functions/store/time-travel.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore } from '../support/test-store.js';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const figures = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    submitted('figure.reported', { metric: 'm', value: i, unit: 'u', qualifier: 'about', originator: `O${i % 3}` }),
  );

describe('rebuilding status items and snapshots from the log', () => {
  it('restores a deleted status item and its snapshots exactly', async () => {
    const store = await createTestStore({ snapshotInterval: 10 });
    await appendEvents(store.ctx, { talksId: 'rb', events: [opened(), ...figures(24)], principal: 'a' });
    await appendEvents(store.ctx, {
      talksId: 'rb',
      events: [submitted('report.retracted', { targetVersion: 3, reason: 'x', issuedBy: 'editor' }), ...figures(9)],
      principal: 'a',
    });
    const before = await readStatusItem(store.ctx, 'rb');
    const stateItems =
      (
        await store.raw.send(
          new QueryCommand({
            TableName: store.tables.state,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': 'rb' },
          }),
        )
      ).Items ?? [];
    for (const item of stateItems)
      await store.raw.send(new DeleteCommand({ TableName: store.tables.state, Key: { pk: item.pk, sk: item.sk } }));
    await rebuildTalks(store.ctx, 'rb');
    const after = await readStatusItem(store.ctx, 'rb');
    expect(after?.status).toEqual(before?.status);
    const log = await readLog(store.ctx, 'rb');
    for (const version of [10, 26, 30]) {
      const snapshot = await store.raw.send(new GetCommand({ TableName: store.tables.state, Key: { pk: 'rb', sk: version } }));
      expect(fromSnapshotRecord(snapshot.Item!), `snapshot ${version}`).toEqual(plain(project('rb', log.slice(0, version))));
    }
    expect(plain(await statusAtVersion(store.ctx, 'rb', 17))).toEqual(plain(project('rb', log.slice(0, 17))));
  });

  it('loses no append that races it', async () => {
    const store = await createTestStore({ snapshotInterval: 5 });
    await appendEvents(store.ctx, { talksId: 'rb-race', events: [opened(), ...figures(24)], principal: 'a' });
    for (let i = 0; i < 3; i += 1) await appendEvents(store.ctx, { talksId: 'rb-race', events: figures(25), principal: 'a' });
    const appends = Array.from({ length: 10 }, () => appendEvents(store.ctx, { talksId: 'rb-race', events: figures(2), principal: 'a' }));
    const [rebuilt] = await Promise.all([rebuildTalks(store.ctx, 'rb-race'), ...appends]);
    const log = await readLog(store.ctx, 'rb-race');
    expect(log).toHaveLength(120);
    // The rebuild read at least the log as it stood before the racing appends began.
    expect(rebuilt.version).toBeGreaterThanOrEqual(100);
    expect((await readStatusItem(store.ctx, 'rb-race'))?.status).toEqual(plain(project('rb-race', log)));
    expect((await auditTalks(store.ctx, 'rb-race')).ok).toBe(true);
  });

  it('resumes a run that stopped, skipping the talks it had finished', async () => {
    const store = await createTestStore();
    for (const id of ['rm-a', 'rm-b', 'rm-c'])
      await appendEvents(store.ctx, { talksId: id, events: [opened(), ...figures(3)], principal: 'a' });
    let calls = 0;
    const failing = rebuildMany(store.ctx, {
      runId: 'run-1',
      onProgress: (p) => {
        calls += 1;
        if (p.talksDone === 1 && p.current === 'rm-b') throw new Error('stopped mid-run');
      },
    });
    await expect(failing).rejects.toThrow('stopped mid-run');
    expect(calls).toBeGreaterThan(0);
    const resumed = await rebuildMany(store.ctx, { runId: 'run-1' });
    expect(resumed).toMatchObject({ talksDone: 3, talksTotal: 3, skipped: 1 });
    const fresh = await rebuildMany(store.ctx, { runId: 'run-2', talksIds: ['rm-c'] });
    expect(fresh).toMatchObject({ talksDone: 1, skipped: 0 });
  });

  it('resumes inside a long talks at the last snapshot it stored, not at its start', async () => {
    const store = await createTestStore({ snapshotInterval: 50 });
    await appendEvents(store.ctx, { talksId: 'rl', events: [opened(), ...figures(24)], principal: 'a' });
    for (let i = 0; i < 11; i += 1) await appendEvents(store.ctx, { talksId: 'rl', events: figures(25), principal: 'a' });
    const stateItems =
      (
        await store.raw.send(
          new QueryCommand({
            TableName: store.tables.state,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': 'rl' },
          }),
        )
      ).Items ?? [];
    for (const item of stateItems)
      await store.raw.send(new DeleteCommand({ TableName: store.tables.state, Key: { pk: item.pk, sk: item.sk } }));

    // The run stops as a Lambda timeout would: while storing the snapshot at version 200.
    const stopping = {
      ...store.ctx,
      doc: {
        send: (command: { input: { Item?: Record<string, unknown> } }) => {
          if (command instanceof PutCommand && command.input.Item?.kind === 'snapshot' && command.input.Item.sk === 200)
            return Promise.reject(new Error('timed out'));
          return store.ctx.doc.send(command as never);
        },
      },
    } as unknown as typeof store.ctx;
    await expect(rebuildMany(stopping, { runId: 'long-1', talksIds: ['rl'] })).rejects.toThrow('timed out');
    expect(await readStatusItem(store.ctx, 'rl')).toBeUndefined();

    const resumed = await rebuildMany(store.ctx, { runId: 'long-1', talksIds: ['rl'] });
    expect(resumed).toMatchObject({ talksDone: 1, skipped: 0, resumedFrom: { talksId: 'rl', version: 150 } });
    // Only the events after the snapshot it had stored were read again.
    expect(resumed.eventsRead).toBe(150);
    const log = await readLog(store.ctx, 'rl');
    expect((await readStatusItem(store.ctx, 'rl'))?.status).toEqual(plain(project('rl', log)));
    for (const version of [50, 150, 200, 300]) {
      const snapshot = await store.raw.send(new GetCommand({ TableName: store.tables.state, Key: { pk: 'rl', sk: version } }));
      expect(fromSnapshotRecord(snapshot.Item!), `snapshot ${version}`).toEqual(plain(project('rl', log.slice(0, version))));
    }
    expect((await auditTalks(store.ctx, 'rl')).ok).toBe(true);
    // A new run starts from the beginning.
    expect((await rebuildMany(store.ctx, { runId: 'long-2', talksIds: ['rl'] })).eventsRead).toBe(300);
  });
});
