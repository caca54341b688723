import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { presentStatus } from '../../functions/domain/present-status.js';
import { project } from '../../functions/domain/project.js';
import { type SubmittedEvent, submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { storeAll } from '../support/event-builders.js';

/**
 * The demo scenario (shared/scenarios/ceasefire-talks-2025-01-13.md, restated as events in
 * scenarios/*.json) and what its reader should see once every development is in.
 */
const scenario = JSON.parse(readFileSync(new URL('../../scenarios/ceasefire-talks-2025-01-13.json', import.meta.url), 'utf8')) as {
  talksId: string;
  events: unknown[];
};
const events: SubmittedEvent[] = scenario.events.map((e) => submittedEventSchema.parse(e) as SubmittedEvent);
const status = project(scenario.talksId, storeAll(scenario.talksId, events));
const view = presentStatus(status, new Date('2025-01-13T18:00:00Z'));
const participant = (name: string) => status.participants.find((p) => p.name === name);

describe('the Gaza ceasefire talks as reported on 13 January 2025', () => {
  it('keeps every development of the report', () => {
    expect(status.version).toBe(scenario.events.length);
    expect(status.counts).toEqual({ events: events.length, developments: events.length, corrections: 0, retractions: 0 });
  });

  it('shows negotiations active, with no agreement yet', () => {
    expect(status.title).toBe('Gaza ceasefire and hostage-release talks');
    expect(status.phase).toBe('active');
    expect(status.agreement.state).toBe('none');
    expect(status.proposals).toEqual([]);
  });

  it('shows momentum positive: several sources report progress, none a setback', () => {
    expect(status.momentum.label).toBe('positive');
    expect(status.momentum.basis).toBeGreaterThanOrEqual(3);
    const counted = status.assessments.filter((a) => status.momentum.window !== null && a.at >= status.momentum.window.from);
    expect(counted).toHaveLength(status.momentum.basis);
    expect(counted.map((a) => a.assessment)).not.toContain('setback');
    expect(counted.map((a) => a.assessment)).not.toContain('difficulties');
    expect(new Set(counted.map((a) => a.by)).size).toBeGreaterThanOrEqual(3);
  });

  it('names Israel and Hamas as the parties', () => {
    expect(status.participants.filter((p) => p.role === 'party').map((p) => p.name)).toEqual(['Israel', 'Hamas']);
  });

  it('names the United States and Qatar as mediators, with the envoy and the Qatari prime minister taking part', () => {
    expect(participant('United States')?.role).toBe('mediator');
    expect(participant('Qatar')?.role).toBe('mediator');
    expect(participant('Steve Witkoff')).toMatchObject({ role: 'envoy', represents: expect.stringContaining('United States') });
    expect(participant('Mohammed bin Abdulrahman Al Thani')).toMatchObject({ role: 'mediator', represents: 'Qatar' });
  });

  it('lists the end-of-week target set by the White House and the 20 January ultimatum of the incoming president', () => {
    const target = view.deadlines.find((d) => d.kind === 'target');
    const ultimatum = view.deadlines.find((d) => d.kind === 'ultimatum');
    expect(target).toMatchObject({ setBy: 'White House', duePrecision: 'day', passed: false });
    expect(target?.due).toMatch(/^2025-01-1[789]T/);
    // "By the end of the week": over once Sunday 19 January is over.
    expect(target?.windowEnd).toBe('2025-01-20T00:00:00.000Z');
    expect(ultimatum).toMatchObject({
      due: '2025-01-20T00:00:00.000Z',
      setBy: expect.stringContaining('Trump'),
      consequence: expect.stringContaining('consequences'),
      passed: false,
    });
    expect(ultimatum?.setBy).toContain('incoming');
  });

  it('gives as Israel’s latest position the statement of Gideon Sa’ar on 13 January', () => {
    const israel = status.positions.find((p) => p.party === 'Israel');
    expect(israel).toMatchObject({ kind: 'statement', speaker: { name: "Gideon Sa'ar", affiliation: 'Israel' } });
    expect(israel?.at.slice(0, 10)).toBe('2025-01-13');
    expect(israel?.summary).toContain('progress');
  });

  it('gives as Hamas’s latest position that it had issued no statement as of 13 January', () => {
    const hamas = status.positions.find((p) => p.party === 'Hamas');
    expect(hamas).toMatchObject({ kind: 'no_statement' });
    expect(hamas?.at.slice(0, 10)).toBe('2025-01-13');
    expect(status.positions).toHaveLength(2);
  });

  it('shows the three figures, each with its originator, qualifier and caveat', () => {
    const figures = Object.fromEntries(view.figures.map((f) => [f.metric, f]));
    expect(view.figures).toHaveLength(3);
    expect(figures.killed_in_7_october_attacks?.headline).toMatchObject({
      value: 1200,
      qualifier: 'about',
      originator: 'Israel',
      publisher: 'NBC News',
    });
    expect(figures.hostages_taken_7_october?.headline).toMatchObject({ value: 250, qualifier: 'about', originator: 'Israel' });
    expect(figures.killed_in_gaza?.headline).toMatchObject({
      value: 46500,
      qualifier: 'more_than',
      originator: expect.stringContaining('health officials'),
    });
    expect(figures.killed_in_gaza?.headline.caveat).toMatch(/higher/);
    expect(view.figures.every((f) => f.reports.length === 1)).toBe(true);
  });

  it('records the Biden–Netanyahu call and the Jerusalem meeting', () => {
    expect(status.meetings.count).toBe(2);
    expect(status.meetings.last).toMatchObject({ kind: 'visit', place: 'Jerusalem' });
  });
});
