import { currentPhaseAt, scheduleOf, wholeAgreement } from './schedule.js';
import type { StoredEventOf } from './submitted-event.js';
import {
  type AgreementEntry,
  type AgreementStateName,
  type AgreementStep,
  inForceStates,
  limits,
  type TalksStatus,
  terminalStates,
} from './talks-status.js';
import { byValidTime, inValidTimeOrder } from './valid-time-order.js';

/**
 * Each agreement's lifecycle. Its state is not set by whichever report came last: it is
 * replayed from its dated steps in valid-time order through the transitions below, so a
 * step reported late lands where it happened, and an approval of an outline dated before
 * the deal's announcement leaves the deal `agreed`.
 */
type StepKind = AgreementStep['step'];

const transitions: Record<StepKind, Partial<Record<AgreementStateName, AgreementStateName>>> = {
  agreed: { none: 'agreed' },
  approved: { agreed: 'approved', rejected: 'approved' },
  rejected: { agreed: 'rejected', approved: 'rejected' },
  conditional: {},
  start_announced: {},
  in_force: {
    none: 'in_force',
    agreed: 'in_force',
    approved: 'in_force',
    rejected: 'in_force',
    suspended: 'in_force',
    breached: 'in_force',
  },
  extended: { in_force: 'extended', breached: 'extended', extended: 'extended' },
  breach_alleged: {},
  breached: { in_force: 'breached', extended: 'breached' },
  suspended: { agreed: 'suspended', approved: 'suspended', in_force: 'suspended', extended: 'suspended', breached: 'suspended' },
  ended: {},
  collapsed: {},
  superseded: {},
};

const terminalStep: Partial<Record<StepKind, AgreementStateName>> = { ended: 'ended', collapsed: 'collapsed', superseded: 'superseded' };

export function stateOf(steps: readonly AgreementStep[]): Pick<AgreementEntry, 'state' | 'stateSince' | 'stateVersion'> {
  let state: AgreementStateName = 'none';
  let since: AgreementStep | undefined;
  for (const step of inValidTimeOrder(steps) ? steps : [...steps].sort(byValidTime)) {
    if (terminalStates.includes(state)) break;
    const next: AgreementStateName = terminalStep[step.step] ?? transitions[step.step][state] ?? state;
    if (next !== state) {
      state = next;
      since = step;
    }
  }
  return since === undefined ? { state } : { state, stateSince: since.at, stateVersion: since.version };
}

const blank = (id: string): AgreementEntry => ({
  id,
  state: 'none',
  phases: [],
  signatories: [],
  steps: [],
  approvals: [],
  extensions: [],
});

const isOver = (a: AgreementEntry) => terminalStates.includes(a.state);

/**
 * The agreement an event is about: the one it names (created if this is the first word of
 * it), else the latest not yet over, else the latest, else a new one named after the event.
 */
export function resolveAgreement(s: TalksStatus, id: string | undefined, version: number): { agreement: AgreementEntry; index: number } {
  const found =
    id !== undefined
      ? s.agreements.findIndex((a) => a.id === id)
      : s.agreements.findLastIndex((a) => !isOver(a)) >= 0
        ? s.agreements.findLastIndex((a) => !isOver(a))
        : s.agreements.length - 1;
  if (found >= 0) return { agreement: s.agreements[found] as AgreementEntry, index: found };
  return { agreement: blank(id ?? `a${version}`), index: -1 };
}

/** Puts the agreement back with its state replayed, keeping the list bounded. */
export function storeAgreement(agreements: readonly AgreementEntry[], agreement: AgreementEntry, index: number): AgreementEntry[] {
  // Steps arrive appended to a list in order: sorted again only when one lands earlier.
  const steps = inValidTimeOrder(agreement.steps) ? agreement.steps : [...agreement.steps].sort(byValidTime);
  const bounded = { ...agreement, steps: steps.slice(Math.max(0, steps.length - limits.agreementSteps)) };
  const withState = { ...bounded, ...withoutUndefined(stateOf(bounded.steps)) };
  if (withState.stateSince === undefined) delete withState.stateSince;
  if (withState.stateVersion === undefined) delete withState.stateVersion;
  const list = index >= 0 ? agreements.map((a, i) => (i === index ? withState : a)) : [...agreements, withState];
  return list.slice(Math.max(0, list.length - limits.agreements));
}

/** The fields that are set, in their order (a loop: it runs for most agreement events). */
function withoutUndefined<T extends object>(value: T): T {
  const set: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) set[key] = v;
  }
  return set as T;
}

const step = (
  event: { version: number; source: { name: string } },
  at: string,
  kind: StepKind,
  by?: string,
  note?: string,
): AgreementStep => ({
  version: event.version,
  at,
  step: kind,
  source: event.source.name,
  ...(by === undefined ? {} : { by }),
  ...(note === undefined ? {} : { note }),
});

const capped = <T>(list: readonly T[], max: number): T[] => (list.length > max ? list.slice(list.length - max) : [...list]);

/** The first terminal step by valid time says how an agreement ended. */
function endWith(a: AgreementEntry, at: string, ending: NonNullable<AgreementEntry['ending']>): AgreementEntry {
  if (a.endedAt !== undefined && a.endedAt <= at) return a;
  return { ...a, endedAt: at, ending: withoutUndefined(ending) };
}

type AgreementEvent =
  | StoredEventOf<'agreement.reached'>
  | StoredEventOf<'agreement.approval_decided'>
  | StoredEventOf<'agreement.start_announced'>
  | StoredEventOf<'agreement.took_effect'>
  | StoredEventOf<'agreement.extended'>
  | StoredEventOf<'agreement.breached'>
  | StoredEventOf<'agreement.suspended'>
  | StoredEventOf<'agreement.ended'>;

/** Completes `s`, the fold's fresh copy of the status (see develop), in place. */
export function applyAgreementEvent(s: TalksStatus, event: AgreementEvent, at: string): TalksStatus {
  const id = event.type === 'agreement.reached' ? (event.data.agreementId ?? `a${event.version}`) : event.data.agreementId;
  const { agreement: found, index } = resolveAgreement(s, id, event.version);
  let a: AgreementEntry = { ...found };
  switch (event.type) {
    case 'agreement.reached': {
      const d = event.data;
      a = {
        ...a,
        ...(d.name === undefined ? {} : { name: d.name }),
        ...(d.stage === undefined ? {} : { stage: d.stage }),
        version: Math.min(a.version ?? event.version, event.version),
        agreedAt: a.agreedAt !== undefined && a.agreedAt < at ? a.agreedAt : at,
        terms: d.terms,
        phases: d.phases.length > 0 ? d.phases : a.phases,
        signatories: [...new Set([...a.signatories, ...d.signatories])],
        ...(a.announcedBy === undefined && d.announcedBy !== undefined ? { announcedBy: d.announcedBy } : {}),
        steps: [...a.steps, step(event, at, 'agreed', d.announcedBy)],
      };
      break;
    }
    case 'agreement.approval_decided': {
      const d = event.data;
      const kind: StepKind = d.outcome === 'approved' ? 'approved' : d.outcome === 'rejected' ? 'rejected' : 'conditional';
      const approval = {
        version: event.version,
        at,
        party: d.party,
        body: d.body,
        outcome: d.outcome,
        source: event.source.name,
        ...withoutUndefined({ by: d.by, conditions: d.conditions, note: d.note }),
      };
      a = {
        ...a,
        approvals: capped([...a.approvals, approval], limits.approvals),
        steps: [...a.steps, step(event, at, kind, d.by ?? d.party, d.note)],
      };
      break;
    }
    case 'agreement.start_announced': {
      const later = a.steps.some((s) => s.step === 'start_announced' && (s.at > at || (s.at === at && s.version > event.version)));
      a = {
        ...a,
        ...(later ? {} : { startsAt: event.data.startsAt }),
        steps: [...a.steps, step(event, at, 'start_announced', event.data.by, `Start ${event.data.startsAt}`)],
      };
      break;
    }
    case 'agreement.took_effect': {
      const phaseName = event.data.phase;
      let phases = a.phases;
      if (phaseName !== undefined) {
        phases = phases.some((p) => p.name === phaseName) ? phases : [...phases, { name: phaseName }];
        // A took_effect naming a later phase dates that phase's start; the first starts with the agreement.
        if (phases[0]?.name !== phaseName)
          phases = phases.map((p) => (p.name === phaseName && (p.startsAt === undefined || p.startsAt > at) ? { ...p, startsAt: at } : p));
      }
      a = {
        ...a,
        phases,
        inForceSince: a.inForceSince !== undefined && a.inForceSince < at ? a.inForceSince : at,
        steps: [...a.steps, step(event, at, 'in_force', undefined, phaseName)],
      };
      break;
    }
    case 'agreement.extended': {
      const d = event.data;
      const phase = d.phase ?? phaseUnderWay(a, at);
      const extension = {
        version: event.version,
        at,
        phase,
        source: event.source.name,
        ...withoutUndefined({ days: d.days, until: d.until, by: d.by }),
      };
      a = {
        ...a,
        extensions: capped([...a.extensions, extension], limits.extensions),
        steps: [
          ...a.steps,
          step(event, at, 'extended', d.by, d.days === undefined ? `Until ${d.until}` : `+${d.days} day${d.days === 1 ? '' : 's'}`),
        ],
      };
      break;
    }
    case 'agreement.breached':
      a = {
        ...a,
        steps: [
          ...a.steps,
          step(
            event,
            at,
            event.data.held ? 'breach_alleged' : 'breached',
            event.data.allegedBy,
            event.data.against === undefined ? event.data.summary : `Against ${event.data.against}: ${event.data.summary}`,
          ),
        ],
      };
      break;
    case 'agreement.suspended':
      a = { ...a, steps: [...a.steps, step(event, at, 'suspended', event.data.by, event.data.reason)] };
      break;
    case 'agreement.ended': {
      const d = event.data;
      const kind: StepKind = d.how === 'collapsed' ? 'collapsed' : d.how === 'superseded' ? 'superseded' : 'ended';
      a = endWith({ ...a, steps: [...a.steps, step(event, at, kind, d.by, d.reason)] }, at, {
        how: d.how,
        reason: d.reason,
        by: d.by,
        supersededBy: d.supersededBy,
      });
      break;
    }
  }
  s.agreements = storeAgreement(s.agreements, a, index);
  return s;
}

/** The phase an extension naming none extends: the one under way, else the first. */
function phaseUnderWay(a: AgreementEntry, at: string): string {
  const schedule = scheduleOf(a);
  return currentPhaseAt(a, schedule, at)?.name ?? schedule[0]?.name ?? wholeAgreement;
}

/**
 * A deal collapses with the talks that made it: agreements not yet in force when the talks
 * collapse (at or after they were agreed) collapse too. One in force outlives the talks.
 */
export function collapseUnstarted(s: TalksStatus, event: StoredEventOf<'talks.collapsed'>, at: string): TalksStatus {
  // `s` is the fold's fresh copy of the status (see develop): completed in place.
  let agreements = s.agreements;
  s.agreements.forEach((a, index) => {
    if (isOver(a) || inForceStates.includes(a.state) || a.inForceSince !== undefined || (a.agreedAt ?? '') > at) return;
    const collapsed = endWith({ ...a, steps: [...a.steps, step(event, at, 'collapsed', event.data.by, 'The talks collapsed')] }, at, {
      how: 'collapsed',
      cause: 'talks_collapsed',
      reason: event.data.reason,
    });
    agreements = storeAgreement(agreements, collapsed, index);
  });
  s.agreements = agreements;
  return s;
}

/** The agreement in force at a moment, if any (the latest to take effect). */
export const agreementInForceAt = (agreements: readonly AgreementEntry[], at: string): AgreementEntry | undefined =>
  agreements.filter((a) => a.inForceSince !== undefined && a.inForceSince <= at && (a.endedAt === undefined || a.endedAt > at)).at(-1);
