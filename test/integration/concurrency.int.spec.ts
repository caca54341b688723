import { beforeAll, describe, expect, it } from 'vitest';
import { project } from '../../functions/domain/project.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { AppendTurns } from '../../functions/store/append-turns.js';
import { readLog } from '../../functions/store/read-log.js';
import { readStatusItem } from '../../functions/store/read-status.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});

describe('concurrent reporters on one talks', () => {
  it('lands all 20 parallel submissions without expected version: gapless, none duplicated, status = replay', async () => {
    await appendEvents(store.ctx, { talksId: 'race', events: [opened()], principal: 'a' });
    const submissions = Array.from({ length: 20 }, (_, i) =>
      appendEvents(store.ctx, {
        talksId: 'race',
        events: [submitted('progress.assessed', { assessment: 'some_progress', by: `Reporter ${i}` })],
        principal: `r${i}`,
      }),
    );
    const results = await Promise.all(submissions);
    const log = await readLog(store.ctx, 'race');
    expect(log.map((e) => e.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(new Set(log.map((e) => e.eventId)).size).toBe(21);
    expect(new Set(results.map((r) => r.events[0]!.version)).size).toBe(20);
    const retried = results.filter((r) => r.attempts > 1).length;
    expect(retried).toBeGreaterThan(0);
    const stored = await readStatusItem(store.ctx, 'race');
    expect(stored?.status).toEqual(JSON.parse(JSON.stringify(project('race', log))));
  });

  it('with turns taken in the process, lands 50 parallel submissions at their first attempt, none racing', async () => {
    const turns = new AppendTurns();
    // One attempt only: a single race would fail the submission with a 503.
    const ctx = { ...store.ctx, appendTurns: turns, maxAppendAttempts: 1 };
    await appendEvents(ctx, { talksId: 'turns', events: [opened()], principal: 'a' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        appendEvents(ctx, {
          talksId: 'turns',
          events: [submitted('progress.assessed', { assessment: 'some_progress', by: `Reporter ${i}` })],
          principal: `r${i}`,
        }),
      ),
    );
    expect(results.map((r) => r.attempts)).toEqual(Array(50).fill(1));
    expect(results.map((r) => r.events[0]?.version).sort((a = 0, b = 0) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(turns.busyTalks).toBe(0);
    const log = await readLog(store.ctx, 'turns');
    expect((await readStatusItem(store.ctx, 'turns'))?.status).toEqual(JSON.parse(JSON.stringify(project('turns', log))));
  });

  it('without turns, the same 50 writers with one attempt each do race (the test above can fail)', async () => {
    const ctx = { ...store.ctx, maxAppendAttempts: 1 };
    await appendEvents(ctx, { talksId: 'no-turns', events: [opened()], principal: 'a' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        appendEvents(ctx, {
          talksId: 'no-turns',
          events: [submitted('progress.assessed', { assessment: 'some_progress', by: `R${i}` })],
          principal: 'r',
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThan(0);
  });

  it('lets only one of two writers with the same expected version win', async () => {
    await appendEvents(store.ctx, { talksId: 'race-ifmatch', events: [opened()], principal: 'a' });
    const write = () =>
      appendEvents(store.ctx, { talksId: 'race-ifmatch', events: [submitted('talks.stalled', {})], expectedVersion: 1, principal: 'a' });
    const outcomes = await Promise.allSettled([write(), write()]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ status: 409, slug: 'version-mismatch' });
    expect((await readLog(store.ctx, 'race-ifmatch')).map((e) => e.version)).toEqual([1, 2]);
  });

  it('opens a talks once when two writers race to open it', async () => {
    const outcomes = await Promise.allSettled(
      [1, 2].map(() => appendEvents(store.ctx, { talksId: 'race-open', events: [opened()], principal: 'a' })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
      status: 409,
      slug: 'already-open',
    });
  });
});
