import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outside, totalsOf } from '../../functions/domain/exchange-fold.js';
import { presentStatus } from '../../functions/domain/present-status.js';
import { project } from '../../functions/domain/project.js';
import type { SubmittedEvent } from '../../functions/domain/submitted-event.js';
import { inForceStates, limits, type TalksStatus } from '../../functions/domain/talks-status.js';
import { storeAll, submitted } from '../support/event-builders.js';
import { type DevelopmentType, dataArbitraries, envelopeArbitrary } from './event-arbitraries.js';
import { talksId } from './given.js';

/**
 * Invariants of the two-axis status over random logs, weighted towards the agreement,
 * exchange and deadline events whose rules interact.
 */
const often: DevelopmentType[] = [
  'agreement.reached',
  'agreement.approval_decided',
  'agreement.start_announced',
  'agreement.took_effect',
  'agreement.extended',
  'agreement.breached',
  'agreement.suspended',
  'agreement.ended',
  'exchange.carried_out',
  'deadline.set',
  'deadline.resolved',
  'talks.stalled',
  'talks.collapsed',
  'talks.resumed',
  'talks.concluded',
  'progress.assessed',
];
const development = fc
  .constantFrom(...often)
  .chain((type) => fc.tuple(fc.constant(type), dataArbitraries[type], envelopeArbitrary))
  .map(([type, data, envelope]) => submitted(type, data, envelope));
const logArbitrary = fc
  .tuple(fc.tuple(dataArbitraries['talks.opened'], envelopeArbitrary), fc.array(development, { minLength: 1, maxLength: 40 }))
  .map(([[data, envelope], rest]) => storeAll(talksId, [submitted('talks.opened', data, envelope), ...(rest as SubmittedEvent[])]));
const moment = fc.integer({ min: 0, max: 40 * 86_400_000 }).map((ms) => new Date(Date.UTC(2024, 11, 20) + ms));

function headlineAgrees(s: TalksStatus): void {
  const live = s.agreements.some((a) => inForceStates.includes(a.state));
  const pending = s.agreements.some((a) => a.state === 'agreed' || a.state === 'approved');
  if (live) expect(s.phase).toBe('in_force');
  else if (pending) expect(s.phase).toBe('agreed');
  else expect(s.phase).toBe(s.negotiation.phase);
  if (s.phase === 'in_force') expect(s.agreements.some((a) => a.inForceSince !== undefined && a.endedAt === undefined)).toBe(true);
  const principal = s.agreements.find((a) => a.id === s.agreement.id);
  expect(s.agreement.state).toBe(principal?.state ?? 'none');
  for (const a of s.agreements) {
    if (a.endedAt !== undefined) expect(['ended', 'collapsed', 'superseded', 'none']).toContain(a.state);
    if (['ended', 'collapsed', 'superseded'].includes(a.state)) expect(a.endedAt).toBeDefined();
  }
}

describe('the status never contradicts itself', () => {
  it('derives its headline phase from the negotiation and the agreements, and ends only what has an end', () => {
    fc.assert(
      fc.property(logArbitrary, (log) => {
        headlineAgrees(project(talksId, log));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps totals equal to the earlier totals plus the listed exchanges’ headline counts, and every list bounded', () => {
    fc.assert(
      fc.property(logArbitrary, (log) => {
        const s = project(talksId, log);
        const { items, earlier, ...totals } = s.exchanges;
        expect(totals).toEqual(totalsOf(earlier, items));
        const byKind: Record<string, number> = {};
        for (const r of items.flatMap((e) => e.released)) byKind[r.kind] = (byKind[r.kind] ?? 0) + r.count;
        for (const [kind, n] of Object.entries(byKind)) expect(totals.released[kind]).toBe((earlier.released[kind] ?? 0) + n);
        const perAgreement = Object.values(totals.byAgreement).flatMap((k) => Object.entries(k));
        expect(perAgreement.reduce((sum, [, n]) => sum + n, 0)).toBe(Object.values(totals.released).reduce((sum, n) => sum + n, 0));
        expect(
          Object.keys(totals.byAgreement).every(
            (k) => k === outside || s.exchanges.items.some((e) => e.agreementId === k) || earlier.byAgreement[k],
          ),
        ).toBe(true);
        expect(items.length).toBeLessThanOrEqual(limits.exchanges);
        expect(items.every((e) => e.competing.length <= limits.competingCounts)).toBe(true);
        expect(s.agreements.length).toBeLessThanOrEqual(limits.agreements);
        for (const a of s.agreements) {
          expect(a.steps.length).toBeLessThanOrEqual(limits.agreementSteps);
          expect(a.approvals.length).toBeLessThanOrEqual(limits.approvals);
          expect(a.extensions.length).toBeLessThanOrEqual(limits.extensions);
        }
        expect(s.signals.length).toBeLessThanOrEqual(limits.signals);
      }),
      { numRuns: 300 },
    );
  });

  it('passes deadlines monotonically in the moment viewed: once passed, passed at every later moment', () => {
    fc.assert(
      fc.property(logArbitrary, moment, moment, (log, t1, t2) => {
        const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const s = project(talksId, log);
        const key = (d: { version: number; kind: string; due: string }) => `${d.version}|${d.kind}|${d.due}`;
        const passedEarly = presentStatus(s, early)
          .deadlines.filter((d) => d.passed)
          .map(key);
        const passedLate = new Set(
          presentStatus(s, late)
            .deadlines.filter((d) => d.passed)
            .map(key),
        );
        for (const k of passedEarly) expect(passedLate.has(k)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('judges every presented time-dependent thing at the moment given, never at the clock', () => {
    fc.assert(
      fc.property(logArbitrary, moment, (log, at) => {
        const s = project(talksId, log);
        const view = presentStatus(s, at, new Date('2030-01-01T00:00:00Z'));
        expect(view.judgedAt).toBe(at.toISOString());
        expect(view.deadlines.every((d) => d.passed === at.getTime() >= Date.parse(d.windowEnd))).toBe(true);
        expect(view.momentum.components?.every((c) => Date.parse(c.at) <= at.getTime()) ?? true).toBe(true);
        expect(JSON.parse(JSON.stringify(view))).toEqual(
          presentStatus(JSON.parse(JSON.stringify(s)) as TalksStatus, at, new Date('2030-01-01T00:00:00Z')),
        );
      }),
      { numRuns: 200 },
    );
  });
});
