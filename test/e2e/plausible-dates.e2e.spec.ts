import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalService } from '../../bin/local/local-service.js';
import { json } from '../support/json.js';
import { postEvents, startTestService } from '../support/local-test-service.js';

/**
 * Plausible dates over HTTP: a development cannot have happened after it was reported
 * (beyond its precision window), every time stays within years 0000-9999 in UTC, and both
 * rules hold for a development as its corrections and retractions make it read.
 */
let service: LocalService;
const talksId = `plausible-${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  service = await startTestService('plausible');
  const opening = {
    type: 'talks.opened',
    occurredAt: '2025-01-01T00:00:00Z',
    reportedAt: '2025-01-01T00:00:00Z',
    source: { name: 'Reuters' },
    data: { title: 'Plausible talks', parties: ['A', 'B'] },
  };
  const stalled = {
    type: 'talks.stalled',
    occurredAt: '2025-01-10T00:00:00Z',
    reportedAt: '2025-01-11T00:00:00Z',
    source: { name: 'AP' },
    data: {},
  };
  expect((await post({ events: [opening, stalled] })).status).toBe(201);
});
afterAll(async () => {
  await service?.stop();
});

const post = (body: unknown) => postEvents(service, talksId, body);
const correction = (corrected: Record<string, unknown>) => ({
  type: 'report.corrected',
  reportedAt: '2025-01-12T00:00:00Z',
  source: { name: 'AP' },
  data: { targetVersion: 2, corrected, reason: 'Misdated', issuedBy: 'source' },
});
const versionNow = async () => (await json(fetch(`${service.url}/talks/${talksId}`))).version as number;

async function refusal(body: unknown) {
  const before = await versionNow();
  const response = await post(body);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = await json(response);
  expect(await versionNow()).toBe(before);
  return { status: response.status, fields: (problem.errors ?? []).map((e: { field: string }) => e.field) };
}

describe('plausible dates over HTTP', () => {
  it('refuses a development dated after its report with a 400 naming occurredAt, and writes nothing', async () => {
    const late = {
      type: 'talks.resumed',
      occurredAt: '9999-01-01T00:00:00Z',
      reportedAt: '2025-01-12T00:00:00Z',
      source: { name: 'AP' },
      data: {},
    };
    expect(await refusal(late)).toEqual({ status: 400, fields: ['occurredAt'] });
  });

  it('refuses a time an offset pushes past year 9999, naming the field', async () => {
    const body = { type: 'talks.resumed', reportedAt: '9999-12-31T23:59:59-23:59', source: { name: 'AP' }, data: {} };
    expect(await refusal(body)).toEqual({ status: 400, fields: ['reportedAt'] });
  });

  it('refuses a correction that moves occurredAt past reportedAt, or reportedAt before it, naming the corrected field', async () => {
    expect(await refusal(correction({ occurredAt: '2030-01-01T00:00:00Z' }))).toEqual({
      status: 400,
      fields: ['data/corrected/occurredAt'],
    });
    expect(await refusal(correction({ reportedAt: '2025-01-09T00:00:00Z' }))).toEqual({
      status: 400,
      fields: ['data/corrected/reportedAt'],
    });
  });

  it('accepts a correction of both times, then refuses retracting it once another correction depends on it', async () => {
    expect((await post(correction({ occurredAt: '2025-01-20T00:00:00Z', reportedAt: '2025-01-20T00:00:00Z' }))).status).toBe(201);
    expect((await post(correction({ occurredAt: '2025-01-19T00:00:00Z' }))).status).toBe(201);
    const retraction = {
      type: 'report.retracted',
      reportedAt: '2025-01-21T00:00:00Z',
      source: { name: 'AP' },
      data: { targetVersion: 3, reason: 'Wrong', issuedBy: 'editor' },
    };
    expect(await refusal(retraction)).toEqual({ status: 422, fields: ['data/targetVersion'] });
    const status = await json(fetch(`${service.url}/talks/${talksId}`));
    expect(status.negotiation).toMatchObject({ phase: 'stalled', since: '2025-01-19T00:00:00.000Z' });
  });
});
