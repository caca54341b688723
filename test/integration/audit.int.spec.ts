import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { appendEvents } from '../../functions/store/append-events.js';
import { auditTalks } from '../../functions/store/audit-log.js';
import { fromEventItem } from '../../functions/store/item-keys.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { toStatusRecord } from '../../functions/store/status-codec.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
const talksId = 'audited';
beforeEach(async () => {
  store = await createTestStore();
  const developments = Array.from({ length: 9 }, (_, i) =>
    submitted('figure.reported', { metric: 'killed', value: 100 + i, unit: 'people', qualifier: 'about', originator: 'Ministry' }),
  );
  await appendEvents(store.ctx, { talksId, events: [opened(), ...developments], principal: 'a' });
  await appendEvents(store.ctx, {
    talksId,
    events: [submitted('report.retracted', { targetVersion: 4, reason: 'Withdrawn', issuedBy: 'source' })],
    principal: 'a',
  });
});

const key = (version: number) => ({ pk: talksId, sk: version });
const eventItem = async (version: number) =>
  (await store.raw.send(new GetCommand({ TableName: store.tables.events, Key: key(version) }))).Item!;

describe('auditing a log', () => {
  it('passes an untouched log, with revisions, in small pages', async () => {
    const report = await auditTalks(store.ctx, talksId, { pageSize: 3 });
    expect(report).toMatchObject({
      ok: true,
      checkedEvents: 11,
      headVersion: 11,
      gapless: true,
      hashesValid: true,
      hashesLink: true,
      statusMatches: true,
      revisions: 1,
      firstProblem: null,
    });
    expect(report.headHash).toBe((await readStatusItem(store.ctx, talksId))?.status.headHash);
  });

  it('names the first broken version when an event is altered behind the API', async () => {
    await store.raw.send(
      new UpdateCommand({
        TableName: store.tables.events,
        Key: key(6),
        UpdateExpression: 'SET #d.#v = :v',
        ExpressionAttributeNames: { '#d': 'data', '#v': 'value' },
        ExpressionAttributeValues: { ':v': 1 },
      }),
    );
    const report = await auditTalks(store.ctx, talksId);
    expect(report.ok).toBe(false);
    expect(report.hashesValid).toBe(false);
    expect(report.firstProblem).toMatchObject({ version: 6, kind: 'hash-mismatch' });
  });

  it('names the gap when an event is deleted', async () => {
    await store.raw.send(new DeleteCommand({ TableName: store.tables.events, Key: key(3) }));
    const report = await auditTalks(store.ctx, talksId);
    expect(report.gapless).toBe(false);
    expect(report.firstProblem).toMatchObject({ version: 3, kind: 'gap' });
  });

  it('names the first broken version when two events are swapped', async () => {
    const [five, six] = [await eventItem(5), await eventItem(6)];
    await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: { ...six, sk: 5 } }));
    await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: { ...five, sk: 6 } }));
    const report = await auditTalks(store.ctx, talksId);
    expect(report.ok).toBe(false);
    expect(report.firstProblem?.version).toBe(5);
  });

  it('catches a swap that also rewrote the version fields', async () => {
    const [five, six] = [await eventItem(5), await eventItem(6)];
    await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: { ...six, sk: 5, version: 5 } }));
    await store.raw.send(new PutCommand({ TableName: store.tables.events, Item: { ...five, sk: 6, version: 6 } }));
    const report = await auditTalks(store.ctx, talksId);
    expect(report.firstProblem).toMatchObject({ version: 5 });
    expect(report.hashesValid).toBe(false);
  });

  it('reports a stored status that no longer matches the replay', async () => {
    const item = (await readStatusItem(store.ctx, talksId))!;
    const forged = toStatusRecord({ ...item.status, phase: 'concluded' }, item.writeId);
    await store.raw.send(new PutCommand({ TableName: store.tables.state, Item: forged }));
    const report = await auditTalks(store.ctx, talksId);
    expect(report).toMatchObject({ ok: false, statusMatches: false, hashesValid: true });
    expect(report.firstProblem?.detail).toContain('/phase');
  });
});

describe('auditing a live talks', () => {
  it('reports no difference while developments are appended during the audit', async () => {
    const more = () =>
      appendEvents(store.ctx, {
        talksId,
        events: [submitted('progress.assessed', { assessment: 'some_progress', by: 'x' })],
        principal: 'a',
      });
    const racing = Array.from({ length: 8 }, (_, i) => new Promise((r) => setTimeout(r, i * 15)).then(more));
    const [report] = await Promise.all([auditTalks(store.ctx, talksId, { pageSize: 2 }), ...racing]);
    expect(report).toMatchObject({ ok: true, statusMatches: true });
    expect(report.headVersion).toBeGreaterThanOrEqual(11);
    expect((await auditTalks(store.ctx, talksId)).headVersion).toBe(19);
  });
});

describe('proving a digest kept earlier', () => {
  it('verifies while the log is unchanged, and no longer after a change before it', async () => {
    // The item keeps the hash's 32 bytes; the digest a client keeps is the event's hex hash.
    const digest = { version: 8, hash: fromEventItem(await eventItem(8)).hash };
    expect((await auditTalks(store.ctx, talksId, { expectHead: digest })).expectHead).toMatchObject({ verified: true });
    await store.raw.send(
      new UpdateCommand({
        TableName: store.tables.events,
        Key: key(2),
        UpdateExpression: 'SET recordedBy = :x',
        ExpressionAttributeValues: { ':x': 'mallory' },
      }),
    );
    const after = await auditTalks(store.ctx, talksId, { expectHead: digest });
    expect(after.expectHead).toMatchObject({ verified: false });
    expect(after.ok).toBe(false);
  });

  it('rejects a digest whose hash was never at that version', async () => {
    const report = await auditTalks(store.ctx, talksId, { expectHead: { version: 3, hash: 'f'.repeat(64) } });
    expect(report.expectHead?.verified).toBe(false);
  });
});
