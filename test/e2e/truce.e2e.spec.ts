import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, loadScenario, truceScenarioPath } from '../../bin/local/demo-loader.js';
import type { LocalService } from '../../bin/local/local-service.js';
import { statusSchema } from '../../functions/http/response-schemas.js';
import { json } from '../support/json.js';
import { startTestService } from '../support/local-test-service.js';

/**
 * The November 2023 truce (shared/scenarios/truce-2023-11.md) over HTTP: its table "What
 * the status view should show", moment by moment, read with validAt, atVersion and asOf.
 */
let service: LocalService;
const scenario = loadScenario(truceScenarioPath);
const agreementId = 'truce-2023-11';
let history: { version: number; recordedAt: string; data: { exchangeId?: string } }[] = [];

beforeAll(async () => {
  service = await startTestService('truce');
  await loadDemo(service.url, service.token, scenario);
  history = (await json(fetch(`${service.url}/talks/${scenario.talksId}/events?limit=1000`))).items;
});
afterAll(async () => {
  await service?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: a status read over HTTP
type Status = Record<string, any>;
async function statusAt(query: string): Promise<Status> {
  const response = await fetch(`${service.url}/talks/${scenario.talksId}${query}`);
  expect(response.status).toBe(200);
  const body = await json(response);
  // What the API returns is exactly what its OpenAPI schema says.
  statusSchema.parse(body);
  return body;
}

/** The first report of an exchange: the version at which it is known. */
const versionOf = (exchangeId: string) => history.find((e) => e.data.exchangeId === exchangeId)?.version as number;

const truce = (s: Status) => s.agreements.find((a: { id: string }) => a.id === agreementId);
/** Deadlines still open at the moment viewed: not passed, and neither met nor moved. */
const openDeadlines = (s: Status) => s.deadlines.filter((d: Status) => !d.passed && d.outcome === null).map((d: Status) => [d.kind, d.due]);
const mediators = (s: Status) => [...s.mediators.entities].sort();
const sameMediators = ['Egypt', 'Qatar', 'United States'];

describe('the November 2023 truce over HTTP', () => {
  it('23 Nov: awaiting start; agreed; no exchanges; start 24 Nov 05:00 UTC and end 28 Nov 05:00 UTC; Qatar, Egypt, US', async () => {
    const s = await statusAt('?validAt=2023-11-23T18:00:00Z');
    expect(s.judgedAt).toBe('2023-11-23T18:00:00.000Z');
    expect(s.phase).toBe('agreed');
    expect(s.negotiation.phase).toBe('active');
    expect(truce(s)).toMatchObject({ state: 'agreed', startsAt: '2023-11-24T05:00:00.000Z', scheduledEnd: '2023-11-28T05:00:00.000Z' });
    expect(truce(s).currentPhase).toBeUndefined();
    expect(s.agreement).toMatchObject({ id: agreementId, state: 'agreed' });
    expect(s.exchanges).toMatchObject({ count: 0, released: {}, items: [] });
    expect(openDeadlines(s)).toEqual([
      ['scheduled_start', '2023-11-24T05:00:00.000Z'],
      ['scheduled_end', '2023-11-28T05:00:00.000Z'],
    ]);
    // The start the mediators had sought (23 Nov 08:00 UTC) passed without one.
    expect(s.deadlines.find((d: Status) => d.setBy === 'Mediators')).toMatchObject({
      passed: true,
      outcome: { value: 'missed', derived: true },
    });
    expect(mediators(s)).toEqual(sameMediators);
  });

  it('26 Nov, after day 3: implementing; in force; 58 hostages (39 Israeli, 1 Russian-Israeli, 17 Thai, 1 Filipino) and 117 prisoners; 28 Nov 05:00 UTC', async () => {
    const day3 = versionOf('truce-day-3');
    for (const s of [await statusAt('?validAt=2023-11-26T20:00:00Z'), await statusAt(`?atVersion=${day3}`)]) {
      expect(s.phase).toBe('in_force');
      expect(s.negotiation.phase).toBe('active');
      expect(truce(s)).toMatchObject({ state: 'in_force', inForceSince: '2023-11-24T05:00:00.000Z', currentPhase: 'Pause' });
      expect(truce(s).scheduledEnd).toBe('2023-11-28T05:00:00.000Z');
      expect(s.exchanges.count).toBe(3);
      expect(s.exchanges.released).toEqual({ hostage: 58, prisoner: 117 });
      expect(s.exchanges.byGroup.hostage).toEqual({ Israeli: 39, 'Russian-Israeli': 1, Thai: 17, Filipino: 1 });
      expect(mediators(s)).toEqual(sameMediators);
    }
    const atDay3 = await statusAt(`?atVersion=${day3}`);
    // atVersion is judged when that version was recorded: long after the truce, in this test.
    expect(atDay3.judgedAt).toBe(atDay3.updatedAt);
    const onDay3 = await statusAt('?validAt=2023-11-26T20:00:00Z');
    expect(openDeadlines(onDay3)).toEqual([['scheduled_end', '2023-11-28T05:00:00.000Z']]);
    // Competing counts of day 1 stand beside the headline and do not change the totals.
    const day1 = onDay3.exchanges.items.find((e: Status) => e.id === 'truce-day-1');
    expect(day1.competing).toEqual([expect.objectContaining({ released: [expect.objectContaining({ count: 12, group: 'Thai' })] })]);
  });

  it('27 Nov, after the extension and day 4: implementing; extended (+2 days); 69 hostages and 150 prisoners; 30 Nov 05:00 UTC', async () => {
    const day4 = history.find((e) => e.version === versionOf('truce-day-4'))?.recordedAt as string;
    for (const s of [await statusAt('?validAt=2023-11-27T23:00:00Z'), await statusAt(`?asOf=${day4}`)]) {
      expect(s.phase).toBe('in_force');
      expect(truce(s)).toMatchObject({ state: 'extended', currentPhase: 'Pause', scheduledEnd: '2023-11-30T05:00:00.000Z' });
      expect(truce(s).extensions).toEqual([expect.objectContaining({ days: 2, phase: 'Pause' })]);
      expect(s.exchanges.released).toEqual({ hostage: 69, prisoner: 150 });
      expect(mediators(s)).toEqual(sameMediators);
    }
    const s = await statusAt('?validAt=2023-11-27T23:00:00Z');
    expect(openDeadlines(s)).toEqual([['scheduled_end', '2023-11-30T05:00:00.000Z']]);
    expect(s.deadlines.find((d: Status) => d.due === '2023-11-28T05:00:00.000Z').outcome).toMatchObject({ value: 'extended' });
  });

  it('1 Dec, after the end: talks only; ended; 105 hostages and 240 prisoners; no deadline (the second extension lapsed 1 Dec 05:00 UTC)', async () => {
    const current = await statusAt('');
    for (const s of [await statusAt('?validAt=2023-12-01T12:00:00Z'), current]) {
      expect(s.phase).toBe('active');
      expect(s.negotiation.phase).toBe('active');
      expect(truce(s)).toMatchObject({ state: 'ended', endedAt: '2023-12-01T05:00:00.000Z', ending: { how: 'expired' } });
      expect(truce(s).currentPhase).toBeUndefined();
      expect(s.agreement).toMatchObject({ id: agreementId, state: 'ended' });
      expect(s.exchanges.count).toBe(7);
      expect(s.exchanges.released).toEqual({ hostage: 105, prisoner: 240 });
      expect(s.exchanges.byGroup.hostage).toEqual({ Israeli: 78, 'Russian-Israeli': 3, Thai: 23, Filipino: 1 });
      expect(s.exchanges.byAgreement.outside).toEqual({ hostage: 13 });
      expect(openDeadlines(s)).toEqual([]);
      const ends = s.deadlines.filter((d: Status) => d.kind === 'scheduled_end');
      expect(ends.map((d: Status) => [d.due, d.outcome?.value])).toEqual([
        ['2023-11-28T05:00:00.000Z', 'extended'],
        ['2023-11-30T05:00:00.000Z', 'extended'],
        ['2023-12-01T05:00:00.000Z', 'met'],
      ]);
      expect(mediators(s)).toEqual(sameMediators);
    }
    // The current status knows the 2 December recall: Israel's latest position.
    expect(current.positions.find((p: Status) => p.party === 'Israel')).toMatchObject({ speaker: { name: 'Benjamin Netanyahu' } });
    expect(current.lastDevelopment.at.slice(0, 10)).toBe('2023-12-02');
  });
});
