import { describe, expect, it } from 'vitest';
import { checkRevisions } from '../../functions/domain/append-rules.js';
import { RuleViolationError, ValidationError } from '../../functions/domain/domain-errors.js';
import { type EventType, eventTypes, isRevisionType } from '../../functions/domain/event-catalog.js';
import { project } from '../../functions/domain/project.js';
import type { StoredEvent, SubmittedEvent } from '../../functions/domain/submitted-event.js';
import { opened, submitted } from '../support/event-builders.js';
import { exampleData } from './example-data.js';
import { content, given, on, talksId } from './given.js';

const retract = (targetVersion: number) => submitted('report.retracted', { targetVersion, reason: 'Not confirmed', issuedBy: 'editor' });
const correct = (targetVersion: number, corrected: Record<string, unknown>) =>
  submitted('report.corrected', { targetVersion, corrected, reason: 'Wrong in the first report', issuedBy: 'source' });
const example = (type: EventType, day = '2025-01-12') => submitted(type, exampleData[type], on(day));
const without = (log: readonly StoredEvent[], ...versions: number[]) => log.filter((e) => !versions.includes(e.version));

const developments = eventTypes.filter((t) => t !== 'talks.opened' && !isRevisionType(t));
const around = (x: SubmittedEvent) => [
  opened(on('2025-01-01')),
  example('progress.assessed', '2025-01-10'),
  example('statement.issued', '2025-01-11'),
  example('figure.reported', '2025-01-11'),
  x,
  example('deadline.set', '2025-01-13'),
  example('participant.joined', '2025-01-13'),
];

describe('a retraction removes the retracted development exactly', () => {
  it.each(developments)('leaves the status as if the %s had never been reported', (type) => {
    const { log, status } = given(...around(example(type)), retract(5));
    const rest = project(talksId, without(log, 5, 8));
    expect(content(status)).toStrictEqual(content(rest));
    expect(status.counts).toEqual({ ...rest.counts, events: rest.counts.events + 2, retractions: rest.counts.retractions + 1 });
  });

  it('gives the last development back to the one before when the latest is retracted', () => {
    const { log, status } = given(opened(on('2025-01-01')), example('talks.stalled'), example('talks.resumed', '2025-01-13'), retract(3));
    expect(status.lastDevelopment).toMatchObject({ version: 2, type: 'talks.stalled' });
    expect(status).toMatchObject({ phase: 'stalled', phaseVersion: 2 });
    expect(content(status)).toStrictEqual(content(project(talksId, without(log, 3, 4))));
  });

  it('takes a development out of every list it touched (a participant’s role)', () => {
    const { status } = given(opened(), submitted('participant.role_changed', { name: 'Qatar', role: 'guarantor' }), retract(2));
    expect(status.participants).toContainEqual(expect.objectContaining({ name: 'Qatar', role: 'mediator', version: 1 }));
  });
});

describe('a correction replaces the fields it names', () => {
  it('merges corrected data into the development, which keeps its version', () => {
    const { status } = given(opened(), example('figure.reported'), correct(2, { data: { value: 47000, caveat: 'Likely higher' } }));
    expect(status.figures).toEqual([
      expect.objectContaining({
        version: 2,
        value: 47000,
        caveat: 'Likely higher',
        originator: 'Gaza health ministry',
        qualifier: 'more_than',
      }),
    ]);
    expect(status.counts).toMatchObject({ events: 3, developments: 2, corrections: 1 });
  });

  it('reads exactly as if the development had been reported right the first time', () => {
    const patch = { speaker: { name: 'Benjamin Netanyahu', affiliation: 'Israel' }, stance: 'cautious' };
    const { status } = given(
      ...around(example('statement.issued', '2025-01-12')),
      correct(5, { data: patch, occurredAt: '2025-01-12T10:00:00Z' }),
    );
    const right = given(
      ...around(submitted('statement.issued', { ...exampleData['statement.issued'], ...patch }, on('2025-01-12T10:00:00Z'))),
    );
    expect(content(status)).toStrictEqual(content(right.status));
  });

  it('normalises corrected times like submitted ones', () => {
    const { status } = given(opened(), example('deadline.set'), correct(2, { data: { due: '2025-01-25' } }));
    const right = given(opened(), submitted('deadline.set', { ...exampleData['deadline.set'], due: '2025-01-25' }, on('2025-01-12')));
    expect(status.deadlines[0]?.due).toBe('2025-01-25T00:00:00.000Z');
    expect(content(status)).toStrictEqual(content(right.status));
  });

  it('moves the phase when the valid time it corrects reorders the developments', () => {
    const history = [opened(on('2025-01-01')), example('talks.stalled', '2025-01-10'), example('talks.resumed', '2025-01-05')];
    expect(given(...history).status.phase).toBe('stalled');
    const { status } = given(...history, correct(3, { occurredAt: '2025-01-12T00:00:00+00:00' }));
    expect(status).toMatchObject({ phase: 'active', phaseSince: '2025-01-12T00:00:00.000Z', phaseVersion: 3 });
  });

  it('applies several corrections of one development in order', () => {
    const { status } = given(
      opened(),
      example('figure.reported'),
      correct(2, { data: { value: 47000 } }),
      correct(2, { data: { value: 48000, qualifier: 'about' } }),
    );
    expect(status.figures[0]).toMatchObject({ value: 48000, qualifier: 'about' });
  });

  it('is undone by retracting it', () => {
    const { log, status } = given(
      opened(),
      example('figure.reported'),
      correct(2, { data: { value: 47000 } }),
      example('talks.stalled'),
      retract(3),
    );
    expect(status.figures[0]?.value).toBe(46500);
    expect(content(status)).toStrictEqual(content(project(talksId, without(log, 3, 5))));
    expect(status.counts).toMatchObject({ corrections: 1, retractions: 1 });
  });
});

describe('the rules of revisions', () => {
  const rejection = (events: SubmittedEvent[], firstNew = events.length) => {
    try {
      checkRevisions(given(...events).log, firstNew);
    } catch (error) {
      expect(error).toBeInstanceOf(RuleViolationError);
      const { slug, fields } = error as RuleViolationError;
      return { slug, fields: fields.map((f) => f.field) };
    }
    throw new Error('expected the revision to be rejected');
  };
  const base = [opened(), example('figure.reported')];

  it('accepts a retraction of a correction and a new correction of the original', () => {
    const log = given(...base, correct(2, { data: { value: 1 } }), retract(3), correct(2, { data: { value: 2 } })).log;
    expect(() => checkRevisions(log, 3)).not.toThrow();
  });

  it('rejects a target that does not exist', () => {
    expect(rejection([...base, retract(9)])).toEqual({ slug: 'revision-target-missing', fields: ['data/targetVersion'] });
  });

  it('rejects a target that is not earlier, naming the event in its batch', () => {
    expect(rejection([...base, retract(4), example('talks.stalled')], 3)).toEqual({
      slug: 'revision-target-missing',
      fields: ['events/0/data/targetVersion'],
    });
    expect(rejection([...base, retract(3)]).slug).toBe('revision-target-missing');
  });

  it('rejects revising a development that is already retracted', () => {
    expect(rejection([...base, retract(2), retract(2)]).slug).toBe('revision-target-retracted');
    expect(rejection([...base, retract(2), correct(2, { data: { value: 1 } })]).slug).toBe('revision-target-retracted');
  });

  it('rejects correcting a correction', () => {
    expect(rejection([...base, correct(2, { data: { value: 1 } }), correct(3, { reportedAt: '2025-01-13T00:00:00Z' })]).slug).toBe(
      'revision-target-invalid',
    );
  });

  it('rejects revising a retraction', () => {
    expect(rejection([...base, example('talks.stalled'), retract(3), retract(4)]).slug).toBe('revision-target-invalid');
  });

  it('rejects retracting the opening, which can only be corrected', () => {
    expect(rejection([...base, retract(1)]).slug).toBe('revision-target-invalid');
    expect(() => checkRevisions(given(...base, correct(1, { data: { title: 'Doha talks' } })).log, 3)).not.toThrow();
  });

  it('rejects a correction whose merged data is invalid for the target, naming the field', () => {
    expect(rejection([...base, correct(2, { data: { qualifier: 'roughly' } })])).toEqual({
      slug: 'invalid-correction',
      fields: ['data/corrected/data/qualifier'],
    });
    expect(rejection([...base, correct(2, { data: { colour: 'red' } })]).slug).toBe('invalid-correction');
  });
});

describe('plausible dates after revisions', () => {
  /** The figure at version 2 happened on 12 January and was reported on 13 January at noon. */
  const base = (envelope: Record<string, unknown> = {}) => [
    opened(),
    submitted('figure.reported', exampleData['figure.reported'], on('2025-01-12', envelope)),
  ];
  const refusal = (events: SubmittedEvent[]) => {
    try {
      checkRevisions(given(...events).log, events.length);
    } catch (error) {
      const { status, slug, fields } = error as ValidationError | RuleViolationError;
      return { status, slug, fields: fields.map((f) => f.field) };
    }
    return 'accepted';
  };

  it('refuses a correction that moves occurredAt past reportedAt: a 400 naming the field', () => {
    expect(refusal([...base(), correct(2, { occurredAt: '2025-02-01T00:00:00Z' })])).toEqual({
      status: 400,
      slug: 'validation-failed',
      fields: ['data/corrected/occurredAt'],
    });
    expect(refusal([...base(), correct(2, { occurredAt: '9999-01-01T00:00:00Z' })])).not.toBe('accepted');
  });

  it('refuses a correction that moves reportedAt before occurredAt, naming that field', () => {
    expect(refusal([...base(), correct(2, { reportedAt: '2025-01-11T00:00:00Z' })])).toEqual({
      status: 400,
      slug: 'validation-failed',
      fields: ['data/corrected/reportedAt'],
    });
  });

  it('accepts a correction of both times that reads plausibly, and one within the precision window', () => {
    expect(refusal([...base(), correct(2, { occurredAt: '2025-02-01T00:00:00Z', reportedAt: '2025-02-02T00:00:00Z' })])).toBe('accepted');
    expect(refusal([...base({ occurredPrecision: 'week' }), correct(2, { occurredAt: '2025-01-19T00:00:00Z' })])).toBe('accepted');
    expect(refusal([...base({ occurredPrecision: 'week' }), correct(2, { occurredAt: '2025-01-21T00:00:00Z' })])).not.toBe('accepted');
  });

  it('judges a correction together with the earlier corrections of its target', () => {
    const earlier = [...base(), correct(2, { reportedAt: '2025-01-20T00:00:00Z' }), correct(2, { occurredAt: '2025-01-19T00:00:00Z' })];
    expect(refusal(earlier)).toBe('accepted');
    expect(refusal([...earlier, correct(2, { reportedAt: '2025-01-14T00:00:00Z' })])).toEqual({
      status: 400,
      slug: 'validation-failed',
      fields: ['data/corrected/reportedAt'],
    });
  });

  it('refuses retracting a correction when only it made the times plausible', () => {
    const corrected = [...base(), correct(2, { occurredAt: '2025-01-20T00:00:00Z', reportedAt: '2025-01-20T00:00:00Z' })];
    expect(refusal([...corrected, correct(2, { occurredAt: '2025-01-19T00:00:00Z' }), retract(3)])).toEqual({
      status: 422,
      slug: 'revision-target-invalid',
      fields: ['data/targetVersion'],
    });
    expect(refusal([...corrected, retract(3)])).toBe('accepted');
  });

  it('still lets an event stored before the rule have its data corrected', () => {
    const log = given(...base(), correct(2, { data: { value: 30 } })).log;
    const stored = log.map((e) => (e.version === 2 ? { ...e, occurredAt: '2031-01-01T00:00:00.000Z' } : e));
    expect(() => checkRevisions(stored, 3)).not.toThrow();
    expect(() =>
      checkRevisions(
        given(...base(), correct(2, { occurredAt: '2030-01-01T00:00:00Z' })).log.map((e) =>
          e.version === 2 ? { ...e, occurredAt: '2031-01-01T00:00:00.000Z' } : e,
        ),
        3,
      ),
    ).toThrow(ValidationError);
  });
});
