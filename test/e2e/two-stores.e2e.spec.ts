import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalService } from '../../bin/local/local-service.js';
import { json } from '../support/json.js';
import { postEvents, startTestService } from '../support/local-test-service.js';

/**
 * The local server builds its handlers from a runtime of its own options, not from the
 * process's environment: two servers in one process, on two stores, each serve their own.
 */
let first: LocalService;
let second: LocalService;
const envBefore = { ...process.env };

beforeAll(async () => {
  [first, second] = await Promise.all([
    startTestService('one'),
    // A setting that differs too: each server's handlers check reads their own way.
    startTestService('two', { readsPublic: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});

const open = (service: LocalService, talksId: string, title: string) =>
  postEvents(service, talksId, {
    type: 'talks.opened',
    reportedAt: '2025-01-13T10:00:00Z',
    source: { name: 'Reuters' },
    data: { title, subject: 'ceasefire', parties: ['A', 'B'], mediators: ['C'], format: 'indirect' },
  });
const read = (service: LocalService, path: string) =>
  fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${service.token}` } });

describe('two local services in one process', () => {
  it('serve two stores at once, each its own data', async () => {
    expect(first.tableNames).not.toEqual(second.tableNames);
    const [openedFirst, openedSecond] = await Promise.all([
      open(first, 'talks-one', 'First talks'),
      open(second, 'talks-two', 'Second talks'),
    ]);
    expect([openedFirst.status, openedSecond.status]).toEqual([201, 201]);

    expect((await json(read(first, '/talks'))).items.map((t: { talksId: string }) => t.talksId)).toEqual(['talks-one']);
    expect((await json(read(second, '/talks'))).items.map((t: { talksId: string }) => t.talksId)).toEqual(['talks-two']);
    expect(await json(read(first, '/talks/talks-one'))).toMatchObject({ talksId: 'talks-one', title: 'First talks', version: 1 });
    expect(await json(read(second, '/talks/talks-two'))).toMatchObject({ talksId: 'talks-two', title: 'Second talks', version: 1 });
    expect((await read(first, '/talks/talks-two')).status).toBe(404);
    expect((await read(second, '/talks/talks-one')).status).toBe(404);
  });

  it('each with its own reads setting', async () => {
    expect((await fetch(`${first.url}/talks`)).status).toBe(200);
    expect((await fetch(`${second.url}/talks`)).status).toBe(401);
  });

  it('without writing their settings into the environment', () => {
    expect(process.env).toEqual(envBefore);
  });
});
