import { describe, expect, it } from 'vitest';
import { momentumRule } from '../../functions/domain/momentum.js';
import { presentStatus } from '../../functions/domain/present-status.js';
import { limits } from '../../functions/domain/talks-status.js';
import { opened, submitted } from '../support/event-builders.js';
import { exampleData } from './example-data.js';
import { given, on } from './given.js';

const stalled = (envelope: Record<string, unknown>) => submitted('talks.stalled', {}, envelope);
const resumed = (envelope: Record<string, unknown>) => submitted('talks.resumed', {}, envelope);
const assessed = (assessment: string, day: string, anonymous = false) =>
  submitted(
    'progress.assessed',
    { assessment, by: anonymous ? 'An official' : 'The mediator' },
    on(day, { source: { name: 'NBC News', anonymous } }),
  );
const figure = (originator: string, value: number, envelope: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  submitted('figure.reported', { metric: 'killed_in_gaza', value, unit: 'people', qualifier: 'more_than', originator, ...extra }, envelope);
const statement = (speaker: string, affiliation: string, day: string) =>
  submitted('statement.issued', { speaker: { name: speaker, affiliation }, stance: 'cautious', summary: `${speaker} spoke` }, on(day));

describe('the phase follows valid time', () => {
  const history = [opened(on('2025-01-01')), stalled(on('2025-01-05')), resumed(on('2025-01-10'))];

  it('is active once the talks resume', () => {
    const { status } = given(...history);
    expect(status).toMatchObject({ phase: 'active', phaseSince: '2025-01-10T00:00:00.000Z', phaseVersion: 3 });
  });

  it('does not move back for a stall reported late that happened before the resumption', () => {
    const { status } = given(...history, stalled(on('2025-01-08', { reportedAt: '2025-01-14T09:00:00Z' })));
    expect(status).toMatchObject({ phase: 'active', phaseSince: '2025-01-10T00:00:00.000Z', phaseVersion: 3 });
    expect(status.lastDevelopment).toMatchObject({ version: 4, type: 'talks.stalled' });
  });

  it('moves to stalled for a stall that happened after the resumption', () => {
    const { status } = given(...history, stalled(on('2025-01-12')));
    expect(status).toMatchObject({ phase: 'stalled', phaseSince: '2025-01-12T00:00:00.000Z', phaseVersion: 4 });
  });

  it('takes the report time as valid time when no occurrence time is given', () => {
    const { status } = given(...history, stalled({ reportedAt: '2025-01-11T08:00:00Z' }));
    expect(status).toMatchObject({ phase: 'stalled', phaseSince: '2025-01-11T08:00:00.000Z' });
  });

  it('lets the later recorded development win a tie in valid time', () => {
    const { status } = given(...history, stalled(on('2025-01-10')));
    expect(status).toMatchObject({ phase: 'stalled', phaseVersion: 4 });
  });

  it('is agreed once an agreement is reached, and in force once it takes effect', () => {
    const agreed = given(...history, submitted('agreement.reached', exampleData['agreement.reached'], on('2025-01-15')));
    expect(agreed.status.phase).toBe('agreed');
    expect(agreed.status.agreement).toMatchObject({
      state: 'agreed',
      version: 4,
      agreedAt: '2025-01-15T00:00:00.000Z',
      signatories: ['Israel', 'Hamas'],
    });
    const inForce = given(...agreed.log, submitted('agreement.took_effect', { phase: 'Phase one' }, on('2025-01-19')));
    expect(inForce.status.phase).toBe('in_force');
    expect(inForce.status.agreement).toMatchObject({
      state: 'in_force',
      inForceSince: '2025-01-19T00:00:00.000Z',
      currentPhase: 'Phase one',
    });
  });
});

describe('positions keep the latest statement of each party by valid time', () => {
  it('keeps a later statement over an earlier one recorded after it', () => {
    const { status } = given(
      opened(),
      statement("Gideon Sa'ar", 'Israel', '2025-01-13'),
      statement('Benjamin Netanyahu', 'Israel', '2025-01-10'),
    );
    expect(status.positions).toHaveLength(1);
    expect(status.positions[0]).toMatchObject({ party: 'Israel', kind: 'statement', version: 2, speaker: { name: "Gideon Sa'ar" } });
  });

  it('replaces a statement with a later note that the party has said nothing', () => {
    const none = submitted('statement.none_noted', { party: 'Hamas', asOf: '2025-01-14T06:00:00Z', declinedToComment: true });
    const { status } = given(opened(), statement('Basem Naim', 'Hamas', '2025-01-13'), none);
    expect(status.positions).toEqual([
      expect.objectContaining({ party: 'Hamas', kind: 'no_statement', at: '2025-01-14T06:00:00.000Z', declinedToComment: true }),
    ]);
  });

  it('keeps one position per party, filed under the party a speaker states', () => {
    const forIsrael = submitted(
      'statement.issued',
      {
        speaker: { name: 'Antony Blinken', affiliation: 'United States' },
        party: 'Israel',
        stance: 'supportive',
        summary: 'Israel has agreed',
      },
      on('2025-01-14'),
    );
    const { status } = given(
      opened(),
      statement("Gideon Sa'ar", 'Israel', '2025-01-13'),
      statement('Basem Naim', 'Hamas', '2025-01-13'),
      forIsrael,
    );
    expect(status.positions.map((p) => [p.party, p.speaker?.name])).toEqual([
      ['Hamas', 'Basem Naim'],
      ['Israel', 'Antony Blinken'],
    ]);
  });
});

describe('figures keep every competing report', () => {
  const ministry = figure('Gaza health ministry', 46500, {}, { asOf: '2025-01-13' });
  const israel = figure('Israel Defense Forces', 17000, { reportedAt: '2025-01-13T15:00:00Z' }, { asOf: '2025-01-10', qualifier: 'about' });

  it('lists two reports of one metric from different originators side by side', () => {
    const { status } = given(opened(), ministry, israel);
    expect(status.figures.map((f) => [f.originator, f.value, f.qualifier])).toEqual([
      ['Gaza health ministry', 46500, 'more_than'],
      ['Israel Defense Forces', 17000, 'about'],
    ]);
  });

  it('heads the metric with the figure for the latest date and still shows both reports', () => {
    const { status } = given(opened(), ministry, israel);
    const [killed, ...others] = presentStatus(status, new Date('2025-01-14T00:00:00Z')).figures;
    expect(others).toEqual([]);
    expect(killed?.headline).toMatchObject({ originator: 'Gaza health ministry', version: 2 });
    expect(killed?.reports.map((r) => r.version)).toEqual([2, 3]);
  });

  it('breaks a tie in date by the latest report', () => {
    const later = figure('Israel Defense Forces', 17000, { reportedAt: '2025-01-13T15:00:00Z' }, { asOf: '2025-01-13' });
    const { status } = given(opened(), later, ministry);
    expect(presentStatus(status, new Date('2025-01-14T00:00:00Z')).figures[0]?.headline).toMatchObject({
      originator: 'Israel Defense Forces',
      version: 2,
    });
  });
});

describe('deadlines are judged at read time', () => {
  const { status } = given(opened(), submitted('deadline.set', exampleData['deadline.set']));
  const read = (now: string) => presentStatus(status, new Date(now)).deadlines[0];

  it('has not passed during its due day', () => {
    expect(read('2025-01-20T23:59:59.999Z')).toMatchObject({
      due: '2025-01-20T00:00:00.000Z',
      passed: false,
      windowEnd: '2025-01-21T00:00:00.000Z',
    });
  });

  it('has passed once its due day is over', () => {
    expect(read('2025-01-21T00:00:00.000Z')?.passed).toBe(true);
  });

  it('never stores whether it has passed', () => {
    expect(status.deadlines[0]).toBeDefined();
    expect(status.deadlines[0]).not.toHaveProperty('passed');
  });
});

describe('momentum follows the published rule', () => {
  const w = momentumRule;

  it('is positive when on-record sources report progress', () => {
    const { status } = given(opened(), assessed('significant_progress', '2025-01-12'), assessed('some_progress', '2025-01-13'));
    expect(status.momentum).toMatchObject({ label: 'positive', basis: 2, onRecord: 2, anonymous: 0 });
  });

  it('is negative after a setback', () => {
    const { status } = given(opened(), assessed('no_change', '2025-01-12'), assessed('setback', '2025-01-13'));
    expect(status.momentum.label).toBe('negative');
  });

  it('is mixed when a breakthrough and a setback are reported on the record the same day', () => {
    const { status } = given(opened(), assessed('breakthrough', '2025-01-13'), assessed('setback', '2025-01-13'));
    expect(status.momentum).toMatchObject({ label: 'mixed', score: 0 });
  });

  it('weighs an anonymous assessment below one on the record', () => {
    const expected =
      (w.onRecordWeight * w.scores.some_progress! + w.anonymousWeight * w.scores.difficulties!) / (w.onRecordWeight + w.anonymousWeight);
    const { status } = given(opened(), assessed('some_progress', '2025-01-13'), assessed('difficulties', '2025-01-13', true));
    expect(status.momentum.score).toBeCloseTo(expected, 3);
    expect(status.momentum).toMatchObject({ onRecord: 1, anonymous: 1 });
    const swapped = given(opened(), assessed('some_progress', '2025-01-13', true), assessed('difficulties', '2025-01-13'));
    expect(swapped.status.momentum.score).toBeCloseTo(-expected, 3);
  });

  it('halves the weight of an assessment one half-life older than the latest', () => {
    const expected = (w.scores.breakthrough! + 0.5 * w.scores.setback!) / 1.5;
    const { status } = given(opened(), assessed('setback', '2025-01-06'), assessed('breakthrough', '2025-01-13'));
    expect(status.momentum.score).toBeCloseTo(expected, 3);
  });

  it('rounds a vanishing score to a plain zero, which a stored status keeps as it is', () => {
    const { status } = given(opened(), assessed('some_progress', '2025-01-13T11:59:00Z'), assessed('difficulties', '2025-01-13T12:00:00Z'));
    expect(Object.is(status.momentum.score, 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(status))).toStrictEqual(status);
  });

  it('ignores assessments older than its window, measured back from the moment it is judged at', () => {
    const { status } = given(opened(), assessed('setback', '2024-12-01'), assessed('some_progress', '2025-01-13'));
    // The stored status is judged when its version was recorded (storeAll: 2025-01-13T12:00:02Z).
    expect(status.momentum).toMatchObject({
      label: 'positive',
      basis: 1,
      window: { from: '2024-12-14T12:00:02.000Z', to: '2025-01-13T12:00:02.000Z' },
    });
    expect(status.assessments).toHaveLength(2);
  });
});

describe('lists stay bounded', () => {
  it(`keeps only the newest ${limits.figures} of 200 figures`, () => {
    const { status } = given(opened(), ...Array.from({ length: 200 }, (_, i) => figure('Gaza health ministry', i)));
    expect(status.figures).toHaveLength(limits.figures);
    expect(status.figures[0]?.value).toBe(200 - limits.figures);
    expect(status.figures.at(-1)?.value).toBe(199);
  });

  it(`keeps only the ${limits.assessments} latest assessments by valid time`, () => {
    const days = Array.from({ length: 40 }, (_, i) => `2025-01-${String(40 - i).padStart(2, '0')}`).filter((d) => d <= '2025-01-31');
    const { status } = given(opened(), ...days.map((d) => assessed('some_progress', d)));
    expect(status.assessments).toHaveLength(limits.assessments);
    expect(status.assessments.map((a) => a.at.slice(8, 10))).toEqual(Array.from({ length: limits.assessments }, (_, i) => String(12 + i)));
  });

  it(`keeps only the newest ${limits.deadlines} deadlines and ${limits.proposals} proposals`, () => {
    const deadlines = Array.from({ length: 50 }, () => submitted('deadline.set', exampleData['deadline.set']));
    const proposals = Array.from({ length: 12 }, () => submitted('proposal.tabled', exampleData['proposal.tabled']));
    const { status } = given(opened(), ...deadlines, ...proposals);
    expect(status.deadlines).toHaveLength(limits.deadlines);
    expect(status.deadlines[0]?.version).toBe(2 + 50 - limits.deadlines);
    expect(status.proposals.map((p) => p.version)).toEqual(
      Array.from({ length: limits.proposals }, (_, i) => 52 + 12 - limits.proposals + i),
    );
  });
});
