import { describe, expect, it } from 'vitest';
import { presentStatus } from '../../functions/domain/present-status.js';
import type { SubmittedEvent } from '../../functions/domain/submitted-event.js';
import { opened, submitted } from '../support/event-builders.js';
import { given, on } from './given.js';

/** The two axes: the negotiation's phase, and each agreement's own dated lifecycle. */
const id = 'truce';
const reached = (day: string, data: Record<string, unknown> = {}) =>
  submitted(
    'agreement.reached',
    {
      agreementId: id,
      name: 'Pause',
      terms: [{ family: 'ceasefire', text: 'Four days' }],
      phases: [{ name: 'Pause', durationDays: 4 }],
      ...data,
    },
    on(day),
  );
const approval = (day: string, outcome: string, party = 'Israel') =>
  submitted('agreement.approval_decided', { agreementId: id, party, body: 'government', outcome }, on(day));
const tookEffect = (at: string, data: Record<string, unknown> = {}) =>
  submitted('agreement.took_effect', { agreementId: id, ...data }, on(at));
const extended = (at: string, data: Record<string, unknown>) => submitted('agreement.extended', { agreementId: id, ...data }, on(at));
const breached = (at: string, held = false) => submitted('agreement.breached', { agreementId: id, summary: 'Rocket fire', held }, on(at));
const ended = (at: string, how: string) => submitted('agreement.ended', { agreementId: id, how }, on(at));
const talks = (type: 'talks.collapsed' | 'talks.stalled' | 'talks.resumed', day: string) => submitted(type, {}, on(day));
const truceOf = <A extends { id: string }>(s: { agreements: A[] }): A | undefined => s.agreements.find((a) => a.id === id);

describe('an agreement’s lifecycle', () => {
  it('is agreed once reached: the headline phase says agreed, the negotiation stays active', () => {
    const { status } = given(opened(on('2025-01-01')), reached('2025-01-10'));
    expect(truceOf(status)).toMatchObject({ state: 'agreed', agreedAt: '2025-01-10T00:00:00.000Z', stateVersion: 2 });
    expect(status).toMatchObject({ phase: 'agreed', phaseSince: '2025-01-10T00:00:00.000Z', negotiation: { phase: 'active' } });
  });

  it('stays agreed when a government approved the outline before the deal was announced', () => {
    const { status } = given(opened(on('2025-01-01')), approval('2025-01-09', 'approved'), reached('2025-01-10'));
    expect(truceOf(status)).toMatchObject({
      state: 'agreed',
      approvals: [expect.objectContaining({ party: 'Israel', outcome: 'approved' })],
    });
  });

  it('is approved by an approval after the deal, rejected by a rejection, and a conditional approval changes nothing', () => {
    const approved = given(opened(on('2025-01-01')), reached('2025-01-10'), approval('2025-01-11', 'approved'));
    expect(truceOf(approved.status)?.state).toBe('approved');
    const rejected = given(...approved.log, approval('2025-01-12', 'rejected', 'Hamas'));
    expect(truceOf(rejected.status)).toMatchObject({ state: 'rejected', stateSince: '2025-01-12T00:00:00.000Z' });
    const conditional = given(opened(on('2025-01-01')), reached('2025-01-10'), approval('2025-01-11', 'conditional'));
    expect(truceOf(conditional.status)?.state).toBe('agreed');
  });

  it('is in force once it takes effect, then extended, breached, and ended: each step dated with its source', () => {
    const { status } = given(
      opened(on('2025-01-01')),
      reached('2025-01-10'),
      tookEffect('2025-01-11T05:00:00Z'),
      extended('2025-01-14', { days: 2 }),
      breached('2025-01-16'),
      ended('2025-01-17T05:00:00Z', 'expired'),
    );
    const truce = truceOf(status);
    expect(truce?.steps.map((s) => [s.step, s.at.slice(0, 10), s.source])).toEqual([
      ['agreed', '2025-01-10', 'NBC News'],
      ['in_force', '2025-01-11', 'NBC News'],
      ['extended', '2025-01-14', 'NBC News'],
      ['breached', '2025-01-16', 'NBC News'],
      ['ended', '2025-01-17', 'NBC News'],
    ]);
    expect(truce).toMatchObject({ state: 'ended', endedAt: '2025-01-17T05:00:00.000Z', ending: { how: 'expired' } });
  });

  it('reads "the truce ended, talks continue": the headline is the negotiation’s phase once no agreement is in force', () => {
    const { status } = given(opened(on('2025-01-01')), reached('2025-01-10'), tookEffect('2025-01-11'), ended('2025-01-15', 'expired'));
    expect(status).toMatchObject({ phase: 'active', negotiation: { phase: 'active' }, agreement: { id, state: 'ended' } });
  });

  it('keeps an alleged breach the agreement survived as a step without changing the state', () => {
    const { status } = given(opened(on('2025-01-01')), reached('2025-01-10'), tookEffect('2025-01-11'), breached('2025-01-12', true));
    expect(truceOf(status)).toMatchObject({ state: 'in_force' });
    expect(truceOf(status)?.steps.at(-1)).toMatchObject({ step: 'breach_alleged' });
  });

  it('is suspended by a suspension and back in force when it takes effect again', () => {
    const suspended = given(
      opened(),
      reached('2025-01-10'),
      tookEffect('2025-01-11'),
      submitted('agreement.suspended', { agreementId: id }, on('2025-01-12')),
    );
    expect(truceOf(suspended.status)?.state).toBe('suspended');
    expect(suspended.status.phase).toBe('active');
    const resumed = given(...suspended.log, tookEffect('2025-01-13'));
    expect(truceOf(resumed.status)).toMatchObject({ state: 'in_force', inForceSince: '2025-01-11T00:00:00.000Z' });
    expect(resumed.status.phase).toBe('in_force');
  });

  it('places a step reported late where it happened: an end dated before a later-reported extension stays the end', () => {
    const { status } = given(
      opened(),
      reached('2025-01-10'),
      tookEffect('2025-01-11'),
      ended('2025-01-15', 'collapsed'),
      extended('2025-01-14', { days: 1 }),
    );
    expect(truceOf(status)).toMatchObject({ state: 'collapsed', stateSince: '2025-01-15T00:00:00.000Z' });
    expect(truceOf(status)?.extensions).toHaveLength(1);
  });

  it('collapses with the talks when it has not yet taken effect, and outlives them once in force', () => {
    const unstarted = given(opened(on('2025-01-01')), reached('2025-01-10'), talks('talks.collapsed', '2025-01-12'));
    expect(truceOf(unstarted.status)).toMatchObject({ state: 'collapsed', ending: { how: 'collapsed', cause: 'talks_collapsed' } });
    expect(unstarted.status).toMatchObject({ phase: 'collapsed', negotiation: { phase: 'collapsed' } });
    const inForce = given(
      opened(on('2025-01-01')),
      reached('2025-01-10'),
      tookEffect('2025-01-11'),
      talks('talks.collapsed', '2025-01-12'),
    );
    expect(truceOf(inForce.status)?.state).toBe('in_force');
    expect(inForce.status).toMatchObject({ phase: 'in_force', negotiation: { phase: 'collapsed' } });
  });

  it('keeps a second agreement beside the first: a later deal does not wipe the truce', () => {
    const { status } = given(
      opened(),
      reached('2025-01-10'),
      ended('2025-01-15', 'superseded'),
      submitted('agreement.reached', { terms: [{ family: 'ceasefire', text: 'Six weeks' }] }, on('2025-01-16')),
    );
    expect(status.agreements.map((a) => [a.id, a.state])).toEqual([
      [id, 'superseded'],
      ['a4', 'agreed'],
    ]);
    expect(status.agreement).toMatchObject({ id: 'a4', state: 'agreed' });
  });

  it('merges reports of the same agreement: the earliest agreed time, every signatory, each report a step', () => {
    const { status } = given(
      opened(),
      reached('2025-01-10', { signatories: ['Hamas'], phases: [] }),
      reached('2025-01-09', { signatories: ['Israel'] }),
    );
    expect(status.agreements).toHaveLength(1);
    expect(truceOf(status)).toMatchObject({ agreedAt: '2025-01-09T00:00:00.000Z', signatories: ['Hamas', 'Israel'], version: 2 });
    expect(truceOf(status)?.steps.filter((s) => s.step === 'agreed')).toHaveLength(2);
  });

  it('applies an event that names no agreement to the latest one not yet over (every v1 event)', () => {
    const { status } = given(opened(on('2025-01-01')), reached('2025-01-10'), submitted('agreement.took_effect', {}, on('2025-01-11')));
    expect(truceOf(status)?.state).toBe('in_force');
  });
});

describe('phases and extensions with dates, judged at the moment viewed', () => {
  const twoPhases = [
    { name: 'Phase one', durationDays: 42 },
    { name: 'Phase two', durationDays: 42 },
  ];
  const deal = () =>
    given(
      opened(on('2025-01-01')),
      reached('2025-01-15', { phases: twoPhases }),
      tookEffect('2025-01-19T06:30:00Z', { phase: 'Phase one' }),
    );
  const view = (at: string, log: SubmittedEvent[] = deal().log) => presentStatus(given(...log).status, new Date(at));

  it('starts the first phase when the agreement takes effect and schedules its end from its duration', () => {
    const truce = truceOf(view('2025-01-20T00:00:00Z'));
    expect(truce?.phases[0]).toMatchObject({
      startsAt: '2025-01-19T06:30:00.000Z',
      scheduledEnd: '2025-03-02T06:30:00.000Z',
      current: true,
    });
    expect(truce).toMatchObject({ currentPhase: 'Phase one', scheduledEnd: '2025-03-02T06:30:00.000Z' });
  });

  it('starts the next phase at the previous one’s scheduled end, and judges the current phase at the view’s moment', () => {
    expect(truceOf(view('2025-03-03T00:00:00Z'))).toMatchObject({ currentPhase: 'Phase two', scheduledEnd: '2025-04-13T06:30:00.000Z' });
    expect(truceOf(view('2025-03-01T00:00:00Z'))?.currentPhase).toBe('Phase one');
  });

  it('places an exchange in the phase under way when it happened, unless its report names one', () => {
    const release = (day: string, data: Record<string, unknown> = {}) =>
      submitted('exchange.carried_out', { released: [{ kind: 'hostage', count: 3, releasedBy: 'Hamas' }], ...data }, on(day));
    const log = [...deal().log, release('2025-01-25'), release('2025-03-05'), release('2025-03-06', { phase: 'Phase one' })];
    const s = view('2025-03-10T00:00:00Z', log);
    expect(s.exchanges.items.map((e) => [e.agreementId, e.phase])).toEqual([
      [id, 'Phase one'],
      [id, 'Phase two'],
      [id, 'Phase one'],
    ]);
    // Outside any agreement, an exchange has no phase.
    const before = view('2025-01-10T00:00:00Z', [opened(on('2025-01-01')), release('2025-01-05')]);
    expect(before.exchanges.items[0]).not.toHaveProperty('phase');
  });

  it('moves the scheduled end by an extension’s days, or to its stated end', () => {
    const { log } = deal();
    const byDays = truceOf(view('2025-01-20T00:00:00Z', [...log, extended('2025-01-20', { days: 2 })]));
    expect(byDays?.phases[0]?.scheduledEnd).toBe('2025-03-04T06:30:00.000Z');
    expect(byDays?.phases[1]?.startsAt).toBe('2025-03-04T06:30:00.000Z');
    const until = truceOf(
      view('2025-01-20T00:00:00Z', [...log, extended('2025-01-20', { until: '2025-03-10T00:00:00Z', phase: 'Phase one' })]),
    );
    expect(until?.phases[0]?.scheduledEnd).toBe('2025-03-10T00:00:00.000Z');
  });

  it('schedules from an announced start until the agreement takes effect', () => {
    const announced = given(
      opened(),
      reached('2025-01-15'),
      submitted('agreement.start_announced', { agreementId: id, startsAt: '2025-01-19T06:30:00Z' }, on('2025-01-16')),
    );
    const truce = truceOf(presentStatus(announced.status, new Date('2025-01-17T00:00:00Z')));
    expect(truce).toMatchObject({ startsAt: '2025-01-19T06:30:00.000Z', scheduledEnd: '2025-01-23T06:30:00.000Z' });
    expect(truce?.currentPhase).toBeUndefined();
  });

  it('shows the scheduled start and every scheduled end among the deadlines, with their outcomes', () => {
    const { log } = given(
      opened(),
      reached('2025-01-15'),
      submitted('agreement.start_announced', { agreementId: id, startsAt: '2025-01-19T06:30:00Z' }, on('2025-01-16')),
      tookEffect('2025-01-19T06:30:00Z'),
      extended('2025-01-22', { days: 2 }),
    );
    const deadlines = (at: string) =>
      presentStatus(given(...log).status, new Date(at)).deadlines.map((d) => [d.kind, d.due, d.passed, d.outcome?.value ?? null]);
    expect(deadlines('2025-01-22T12:00:00Z')).toEqual([
      ['scheduled_start', '2025-01-19T06:30:00.000Z', true, 'met'],
      ['scheduled_end', '2025-01-23T06:30:00.000Z', false, 'extended'],
      ['scheduled_end', '2025-01-25T06:30:00.000Z', false, null],
    ]);
    const afterEnd = given(...log, ended('2025-01-25T06:30:00Z', 'expired'));
    expect(presentStatus(afterEnd.status, new Date('2025-01-26T00:00:00Z')).deadlines.at(-1)).toMatchObject({
      passed: true,
      outcome: { value: 'met' },
    });
  });
});

describe('deadlines with outcomes', () => {
  const dealBy = submitted(
    'deadline.set',
    { due: '2025-01-19', kind: 'target', setBy: 'White House', appliesTo: 'A deal', concerns: 'agreement' },
    on('2025-01-13'),
  );

  it('is met by an agreement reached within its window, derived', () => {
    const { status } = given(opened(on('2025-01-01')), dealBy, reached('2025-01-15'));
    expect(presentStatus(status, new Date('2025-01-25T00:00:00Z')).deadlines[0]).toMatchObject({
      passed: true,
      outcome: { value: 'met', at: '2025-01-15T00:00:00.000Z', derived: true },
    });
  });

  it('is missed once its window is over without one, and has no outcome before', () => {
    const { status } = given(opened(on('2025-01-01')), dealBy);
    expect(presentStatus(status, new Date('2025-01-19T12:00:00Z')).deadlines[0]).toMatchObject({ passed: false, outcome: null });
    expect(presentStatus(status, new Date('2025-01-20T00:00:00Z')).deadlines[0]).toMatchObject({
      passed: true,
      outcome: { value: 'missed', derived: true },
    });
  });

  it('takes a recorded outcome over a derived one; an extension with a new due date lists the new deadline too', () => {
    const resolved = submitted('deadline.resolved', { deadlineVersion: 2, outcome: 'extended', newDue: '2025-01-26' }, on('2025-01-19'));
    const { status } = given(opened(on('2025-01-01')), dealBy, resolved);
    const deadlines = presentStatus(status, new Date('2025-01-21T00:00:00Z')).deadlines;
    expect(deadlines.map((d) => [d.due.slice(0, 10), d.outcome?.value ?? null, d.passed])).toEqual([
      ['2025-01-19', 'extended', true],
      ['2025-01-26', null, false],
    ]);
    expect(deadlines[0]?.outcome).toMatchObject({ derived: false, version: 3 });
  });

  it('has no outcome when nothing says what it concerns (every v1 deadline)', () => {
    const { status } = given(
      opened(on('2025-01-01')),
      submitted('deadline.set', { due: '2025-01-19', kind: 'target', setBy: 'US', appliesTo: 'A deal' }),
    );
    expect(presentStatus(status, new Date('2025-02-01T00:00:00Z')).deadlines[0]).toMatchObject({ passed: true, outcome: null });
  });
});

describe('positions follow a party’s decision on a deal', () => {
  it('updates the party’s latest position with its approval or rejection', () => {
    const statement = submitted(
      'statement.issued',
      { speaker: { name: 'A minister', affiliation: 'Israel' }, stance: 'cautious', summary: 'Not yet' },
      on('2025-01-14'),
    );
    const { status } = given(opened(on('2025-01-01')), statement, reached('2025-01-15'), approval('2025-01-16', 'approved'));
    expect(status.positions).toEqual([
      expect.objectContaining({
        party: 'Israel',
        kind: 'decision',
        stance: 'supportive',
        decision: { agreementId: id, body: 'government', outcome: 'approved' },
      }),
    ]);
    const rejected = given(opened(on('2025-01-01')), reached('2025-01-15'), approval('2025-01-16', 'rejected', 'Hamas'));
    expect(rejected.status.positions[0]).toMatchObject({ party: 'Hamas', stance: 'opposed' });
  });

  it('does not replace a later statement with an earlier decision reported late', () => {
    const statement = submitted(
      'statement.issued',
      { speaker: { name: 'A minister', affiliation: 'Israel' }, stance: 'pessimistic', summary: 'Dead end' },
      on('2025-01-20'),
    );
    const { status } = given(opened(on('2025-01-01')), reached('2025-01-15'), statement, approval('2025-01-16', 'approved'));
    expect(status.positions[0]).toMatchObject({ kind: 'statement', stance: 'pessimistic' });
  });
});
