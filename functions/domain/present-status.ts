import { precisionEnd } from './common-schemas.js';
import { computeMomentum } from './momentum.js';
import { currentPhaseAt, type ScheduledPhase, scheduleOf } from './schedule.js';
import {
  type AgreementEntry,
  type DeadlineEntry,
  type DeadlineOutcome,
  type ExchangeEntry,
  type FigureEntry,
  type TalksStatus,
  withCurrentShape,
} from './talks-status.js';

export type { PresentedAgreement, PresentedDeadline, PresentedStatus } from './present-status-schema.js';

import type { PresentedAgreement, PresentedDeadline, PresentedStatus } from './present-status-schema.js';

/**
 * What a reader sees: the stored status plus what depends on the moment the view is of —
 * whether deadlines have passed and how they came out, each agreement's phase dates and
 * current phase, momentum — judged at that moment (now for the current status, the
 * requested moment for a view of the past), never stored; and figures grouped by metric
 * with every competing report kept beside the headline.
 */

/** A deadline of day precision on the 20th has passed only once the 20th is over. */
export const deadlineWindowEnd = (d: Pick<DeadlineEntry, 'due' | 'duePrecision'>): Date =>
  (precisionEnd[d.duePrecision as keyof typeof precisionEnd] ?? precisionEnd.instant)(new Date(d.due));

/**
 * The headline of competing figures for one metric: the one that applies to the latest
 * date (its asOf, else when it was reported), then the latest reported, then the latest
 * recorded. The others stay listed: a reader sees who says what.
 */
export function headlineFigure(reports: readonly FigureEntry[]): FigureEntry {
  const key = (f: FigureEntry) => [f.asOf ?? f.reportedAt, f.reportedAt, String(f.version).padStart(16, '0')].join('|');
  return reports.reduce((best, f) => (key(f) > key(best) ? f : best));
}

const forAgreement = (agreements: readonly AgreementEntry[], id: string | undefined) =>
  id === undefined ? agreements : agreements.filter((a) => a.id === id);

/**
 * A deadline's outcome: the one recorded (deadline.resolved), else derived from what
 * it concerns — an agreement reached, or taking effect, or a release, by the end of its
 * window meets it; once the window is over without one, it is missed. Unknown otherwise.
 */
function outcomeOf(d: DeadlineEntry, s: TalksStatus, windowEnd: string, passed: boolean): DeadlineOutcome | null {
  if (d.outcome !== undefined) return d.outcome;
  const candidates = forAgreement(s.agreements, d.agreementId);
  let metAt: string | undefined;
  if (d.concerns === 'agreement')
    metAt = candidates
      .map((a) => a.agreedAt)
      .filter((t): t is string => t !== undefined && t < windowEnd)
      .sort()[0];
  else if (d.concerns === 'agreement_start')
    metAt = candidates
      .map((a) => a.inForceSince)
      .filter((t): t is string => t !== undefined && t < windowEnd)
      .sort()[0];
  else if (d.concerns === 'release')
    metAt = s.exchanges.items
      .map((e) => e.at)
      .filter((t) => t < windowEnd)
      .sort()[0];
  else return null;
  if (metAt !== undefined) return { value: 'met', at: metAt, derived: true };
  return passed ? { value: 'missed', at: windowEnd, derived: true } : null;
}

/** The deadlines an agreement sets itself: its announced start and each scheduled end of each phase. */
type ScheduledDeadline = Omit<DeadlineEntry, 'outcome'> & { outcome: DeadlineOutcome | null };

function scheduledDeadlines(a: AgreementEntry, schedule: readonly ScheduledPhase[]): ScheduledDeadline[] {
  const name = a.name ?? `agreement ${a.id}`;
  const out: ScheduledDeadline[] = [];
  if (a.startsAt !== undefined) {
    const announced = a.steps.filter((s) => s.step === 'start_announced').at(-1);
    const started = a.inForceSince;
    const outcome: DeadlineOutcome | null =
      started !== undefined
        ? { value: started <= a.startsAt ? 'met' : 'missed', at: started, derived: true }
        : a.endedAt !== undefined
          ? { value: 'withdrawn', at: a.endedAt, derived: true }
          : null;
    out.push({
      version: announced?.version ?? a.version ?? 1,
      due: a.startsAt,
      duePrecision: 'instant',
      kind: 'target',
      setBy: announced?.by ?? a.announcedBy ?? name,
      appliesTo: `Start of ${name}`,
      concerns: 'agreement_start',
      agreementId: a.id,
      outcome,
    });
  }
  for (const phase of schedule) {
    phase.ends.forEach((end, i) => {
      const next = phase.ends[i + 1];
      const outcome: DeadlineOutcome | null =
        next?.extension !== undefined
          ? { value: 'extended', at: next.extension.at, derived: true, version: next.extension.version }
          : a.endedAt !== undefined
            ? { value: a.endedAt >= end.due ? 'met' : 'withdrawn', at: a.endedAt, derived: true }
            : null;
      out.push({
        version: end.version,
        due: end.due,
        duePrecision: 'instant',
        kind: 'target',
        // The first end follows from the agreement's own terms; later ones from each extension.
        setBy: end.extension?.by ?? name,
        appliesTo: `Scheduled end of ${phase.name === 'agreement' ? name : `${phase.name} (${name})`}`,
        concerns: 'other',
        agreementId: a.id,
        outcome,
      });
    });
  }
  return out;
}

function presentAgreement(a: AgreementEntry, schedule: readonly ScheduledPhase[], at: string): PresentedAgreement {
  const current = currentPhaseAt(a, schedule, at);
  const shown = a.phases.length > 0 ? schedule : [];
  const scheduledEnd = (current ?? (a.inForceSince === undefined ? schedule[0] : undefined))?.scheduledEnd;
  return {
    ...a,
    phases: shown.map(({ ends: _, ...p }) => ({ ...p, current: current?.name === p.name })),
    ...(current === undefined || a.phases.length === 0 ? {} : { currentPhase: current.name }),
    ...(scheduledEnd === undefined ? {} : { scheduledEnd }),
  };
}

function mediationOf(s: TalksStatus): PresentedStatus['mediators'] {
  const mediating = s.participants.filter((p) => p.role === 'mediator');
  const entities: string[] = [];
  const byKind = { state: 0, organization: 0, unstated: 0 };
  const people: { name: string; represents?: string }[] = [];
  const count = (name: string) => {
    if (entities.includes(name)) return;
    entities.push(name);
    const kind = s.participants.find((p) => p.name === name)?.kind;
    if (kind === 'state' || kind === 'organization') byKind[kind] += 1;
    else byKind.unstated += 1;
  };
  for (const p of mediating) {
    if (p.kind === 'person') {
      people.push({ name: p.name, ...(p.represents === undefined ? {} : { represents: p.represents }) });
      if (p.represents !== undefined) count(p.represents);
    } else count(p.name);
  }
  return { entities, byKind, people };
}

/**
 * The status as seen at `at`, the moment the view is of: now for the current status, the
 * requested moment for asOf and validAt, and for atVersion the moment that version was
 * recorded (its updatedAt). `readAt` is when the response was made.
 */
export function presentStatus(stored: TalksStatus, at: Date, readAt: Date = at): PresentedStatus {
  const s = withCurrentShape(stored);
  const moment = at.toISOString();
  const byMetric = new Map<string, FigureEntry[]>();
  for (const f of s.figures) byMetric.set(f.metric, [...(byMetric.get(f.metric) ?? []), f]);
  const schedules = new Map(s.agreements.map((a) => [a.id, scheduleOf(a)]));
  const judged = (d: DeadlineEntry | ScheduledDeadline, scheduled: boolean): PresentedDeadline => {
    const end = deadlineWindowEnd(d).toISOString();
    const passed = at.getTime() >= Date.parse(end);
    const missed = passed && d.concerns === 'agreement_start' ? { value: 'missed' as const, at: end, derived: true } : null;
    const outcome = scheduled ? (d.outcome ?? missed) : outcomeOf(d as DeadlineEntry, s, end, passed);
    return { ...d, outcome, windowEnd: end, passed };
  };
  const deadlines = [
    ...s.deadlines.map((d) => judged(d, false)),
    ...s.agreements.flatMap((a) =>
      scheduledDeadlines(a, schedules.get(a.id) ?? []).map((d) => ({
        ...judged(d, true),
        kind: d.appliesTo.startsWith('Start') ? ('scheduled_start' as const) : ('scheduled_end' as const),
      })),
    ),
  ].sort((a, b) => (a.due === b.due ? a.version - b.version : a.due < b.due ? -1 : 1));
  const { signals: _, ...shown } = s;
  return {
    ...shown,
    momentum: computeMomentum(s.assessments, s.signals, at, true),
    agreements: s.agreements.map((a) => presentAgreement(a, schedules.get(a.id) ?? [], moment)),
    exchanges: { ...s.exchanges, items: s.exchanges.items.map((e) => withPhase(e, s.agreements, schedules)) },
    agreement: presentSummary(s, schedules, moment),
    mediators: mediationOf(s),
    deadlines,
    figures: [...byMetric].map(([metric, reports]) => ({ metric, headline: headlineFigure(reports), reports })),
    judgedAt: moment,
    readAt: readAt.toISOString(),
  };
}

/**
 * The phase an exchange falls under: the one its report names, else the phase of its
 * agreement under way when it happened (derived on reading, like the schedule, so a late
 * report of a phase's start moves it).
 */
function withPhase(e: ExchangeEntry, agreements: readonly AgreementEntry[], schedules: Map<string, ScheduledPhase[]>): ExchangeEntry {
  if (e.phase !== undefined || e.agreementId === undefined) return e;
  const a = agreements.find((x) => x.id === e.agreementId);
  if (a === undefined || a.phases.length === 0) return e;
  const phase = currentPhaseAt(a, schedules.get(a.id) ?? [], e.at)?.name;
  return phase === undefined ? e : { ...e, phase };
}

/** The summary's current phase is judged at the view's moment too, where the agreement has phases. */
function presentSummary(s: TalksStatus, schedules: Map<string, ScheduledPhase[]>, at: string): PresentedStatus['agreement'] {
  const a = s.agreements.find((x) => x.id === s.agreement.id);
  if (a === undefined || a.phases.length === 0) return s.agreement;
  const current = currentPhaseAt(a, schedules.get(a.id) ?? [], at);
  const { currentPhase: _, ...rest } = s.agreement;
  return current === undefined ? rest : { ...rest, currentPhase: current.name };
}
