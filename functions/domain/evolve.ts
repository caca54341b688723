import { applyAgreementEvent, collapseUnstarted } from './agreement-fold.js';
import { describeEvent } from './describe-event.js';
import { applyExchange } from './exchange-fold.js';
import { computeMomentum, momentumRule } from './momentum.js';
import type { StoredEvent } from './submitted-event.js';
import {
  type AgreementEntry,
  type CorrectionNote,
  copyStatus,
  inForceStates,
  limits,
  type NegotiationPhase,
  type Phase,
  type SourceRef,
  type TalksStatus,
  withCurrentShape,
} from './talks-status.js';
import { validTimeOf } from './valid-time.js';
import { withInOrder } from './valid-time-order.js';

/** The negotiation's own phase: only the talks' events move it (agreements have their own lifecycle). */
const negotiationPhaseOf: Partial<Record<StoredEvent['type'], NegotiationPhase>> = {
  'talks.opened': 'active',
  'talks.resumed': 'active',
  'talks.stalled': 'stalled',
  'talks.suspended': 'suspended',
  'talks.collapsed': 'collapsed',
  'talks.concluded': 'concluded',
};

/** A correction's annotation, put on a development by applyCorrections (see project). */
export type CorrectedDevelopment = StoredEvent & { corrections?: CorrectionNote[] };

/**
 * The headline phase, derived so that it never contradicts the two axes: an agreement in
 * force (in force, extended or breached) makes it `in_force`, since the agreement took
 * effect; else one agreed and awaiting its start makes it `agreed`; else it is the
 * negotiation's phase. "The truce ended, talks continue" reads `active` with the truce
 * `ended`; a deal that collapsed with its talks reads `collapsed` on both axes.
 */
export function headlinePhase(s: Pick<TalksStatus, 'agreements' | 'negotiation'>): { phase: Phase; since: string; version: number } {
  const live = s.agreements.filter((a) => inForceStates.includes(a.state)).at(-1);
  if (live !== undefined) {
    const start = live.steps.find((step) => step.step === 'in_force' && step.at === live.inForceSince);
    return { phase: 'in_force', since: live.inForceSince ?? live.stateSince ?? '', version: start?.version ?? live.stateVersion ?? 0 };
  }
  const pending = s.agreements.filter((a: AgreementEntry) => a.state === 'agreed' || a.state === 'approved').at(-1);
  if (pending !== undefined) {
    return { phase: 'agreed', since: pending.agreedAt ?? pending.stateSince ?? '', version: pending.version ?? pending.stateVersion ?? 0 };
  }
  return { phase: s.negotiation.phase, since: s.negotiation.since, version: s.negotiation.version };
}

/** What a development means for momentum, beyond assessments (momentumRule.signals). */
function signalOf(event: StoredEvent): string | undefined {
  switch (event.type) {
    case 'agreement.reached':
      return 'agreement_reached';
    case 'agreement.approval_decided':
      return `approval_${event.data.outcome}`;
    case 'agreement.took_effect':
      return 'agreement_in_force';
    case 'agreement.extended':
      return 'agreement_extended';
    case 'agreement.breached':
      return event.data.held ? 'breach_alleged_agreement_held' : 'agreement_breached';
    case 'agreement.suspended':
      return 'agreement_suspended';
    case 'agreement.ended':
      return `agreement_${event.data.how}`;
    case 'talks.stalled':
    case 'talks.suspended':
    case 'talks.collapsed':
    case 'talks.resumed':
    case 'talks.concluded':
      return event.type.replace('.', '_');
    default:
      return undefined;
  }
}

/** The principal agreement, in the one-agreement shape clients read before the two axes. */
export function agreementSummary(agreements: readonly AgreementEntry[]): TalksStatus['agreement'] {
  const a = agreements.filter((x) => inForceStates.includes(x.state)).at(-1) ?? agreements.at(-1);
  if (a === undefined) return { state: 'none' };
  const lastStart = a.steps.filter((s) => s.step === 'in_force' && s.note !== undefined).at(-1);
  return {
    state: a.state,
    id: a.id,
    ...(a.version === undefined ? {} : { version: a.version }),
    ...(a.agreedAt === undefined ? {} : { agreedAt: a.agreedAt }),
    ...(a.inForceSince === undefined ? {} : { inForceSince: a.inForceSince }),
    ...(lastStart?.note === undefined ? {} : { currentPhase: lastStart.note }),
    ...(a.terms === undefined ? {} : { terms: a.terms }),
    phases: a.phases.map(({ startsAt: _, ...p }) => p),
    signatories: a.signatories,
  };
}

/** Keeps the newest `max` entries; lists stay bounded so the status item does too. */
const capped = <T>(list: readonly T[], max: number): T[] => (list.length > max ? list.slice(list.length - max) : [...list]);

/** capped, for a list just built: it is not copied again. */
const newest = <T>(fresh: T[], max: number): T[] => (fresh.length > max ? fresh.slice(fresh.length - max) : fresh);

/** Later in valid time wins; on a tie, the later version (recorded later) wins. */
const isAtOrAfter = (at: string, version: number, thanAt: string, thanVersion: number): boolean =>
  at > thanAt || (at === thanAt && version > thanVersion);

const sourceRef = (event: StoredEvent): SourceRef => ({
  name: event.source.name,
  anonymous: event.source.anonymous,
  ...(event.source.attribution === undefined ? {} : { attribution: event.source.attribution }),
  ...(event.source.url === undefined ? {} : { url: event.source.url }),
});

/**
 * Applies one development (already corrected, never a revision: see project) to the
 * status. Pure: the clock and ids came in with the event.
 */
export const evolve = (stored: TalksStatus, event: CorrectedDevelopment): TalksStatus =>
  withMomentumAt(develop(stored, event), event.recordedAt);

/**
 * The stored momentum, judged at the moment a development is recorded: the stored status
 * is what atVersion reads. A revision (recordWithoutEffect) leaves it as it was.
 */
export function withMomentumAt(s: TalksStatus, recordedAt: string): TalksStatus {
  s.momentum = computeMomentum(s.assessments, s.signals, new Date(recordedAt));
  return s;
}

/**
 * evolve without judging momentum, which depends only on the assessments and signals
 * at the end: a replay folds with this and judges momentum once, after the last
 * development (see project), instead of once per event.
 * The result is a fresh object: withMomentumAt may complete it in place.
 */
export function develop(stored: TalksStatus, event: CorrectedDevelopment): TalksStatus {
  // A status item written before the two axes gains their fields (empty) rather than failing.
  const status = withCurrentShape(stored);
  const at = validTimeOf(event);
  // One copy of the status, completed in place: copying its two dozen fields once per
  // event rather than twice is most of the fold's cost (bench/replay.bench.ts).
  const next = applyData(copyStatus(status), event, at);
  next.version = event.version;
  next.headHash = event.hash;
  next.updatedAt = event.recordedAt;
  const c = status.counts;
  // A literal of the four counts (in their order), not a spread: V8 spreads-then-overrides slowly.
  next.counts = { events: c.events + 1, developments: c.developments + 1, corrections: c.corrections, retractions: c.retractions };
  const negotiationPhase = negotiationPhaseOf[event.type];
  const n = next.negotiation;
  if (negotiationPhase !== undefined && (n.version === 0 || isAtOrAfter(at, event.version, n.since, n.version))) {
    const reason = event.type === 'talks.opened' ? undefined : (event.data as { reason?: string }).reason;
    next.negotiation = { phase: negotiationPhase, since: at, version: event.version, ...(reason === undefined ? {} : { reason }) };
  }
  const signal = signalOf(event);
  if (signal !== undefined) {
    const entry = { version: event.version, at, signal, score: momentumRule.signals[signal] ?? 0, onRecord: !event.source.anonymous };
    next.signals = newest(withInOrder(next.signals, entry), limits.signals);
  }
  const headline = headlinePhase(next);
  next.phase = headline.phase;
  next.phaseSince = headline.since;
  next.phaseVersion = headline.version;
  next.agreement = agreementSummary(next.agreements);
  // "What's new": the latest recorded development, whatever its valid time.
  next.lastDevelopment = { version: event.version, type: event.type, at, reportedAt: event.reportedAt, summary: describeEvent(event) };
  return next;
}

/** Counts a revision (or a retracted development) without any effect on the content. */
export function recordWithoutEffect(status: TalksStatus, event: StoredEvent): TalksStatus {
  const counts = { ...status.counts, events: status.counts.events + 1 };
  if (event.type === 'report.corrected') counts.corrections += 1;
  if (event.type === 'report.retracted') counts.retractions += 1;
  return { ...status, version: event.version, headHash: event.hash, updatedAt: event.recordedAt, counts };
}

function upsertParticipant(
  s: TalksStatus,
  name: string,
  role: TalksStatus['participants'][number]['role'],
  at: string,
  version: number,
  represents?: string,
  stated?: TalksStatus['participants'][number]['kind'],
): TalksStatus['participants'] {
  const rest = s.participants.filter((p) => p.name !== name);
  const previous = s.participants.find((p) => p.name === name);
  const link = represents ?? previous?.represents;
  // Only a person (or a delegation led by one) acts for someone else: without a stated kind,
  // a participant that represents another is taken to be a person.
  const kind = stated ?? previous?.kind ?? (link === undefined ? undefined : 'person');
  const entry = {
    name,
    role,
    since: previous?.role === role ? previous.since : at,
    version,
    ...(kind === undefined ? {} : { kind }),
    ...(link === undefined ? {} : { represents: link }),
  };
  return capped([...rest, entry], limits.participants);
}

function applyData(s: TalksStatus, event: CorrectedDevelopment, at: string): TalksStatus {
  switch (event.type) {
    case 'talks.opened': {
      const d = event.data;
      s.title = d.title;
      if (d.subject !== undefined) s.subject = d.subject;
      if (d.format !== undefined) s.format = d.format;
      s.openedAt = at;
      let participants = s.participants;
      const kinds = d.participantKinds ?? {};
      for (const party of d.parties)
        participants = upsertParticipant({ ...s, participants }, party, 'party', at, event.version, undefined, kinds[party]);
      for (const mediator of d.mediators)
        participants = upsertParticipant({ ...s, participants }, mediator, 'mediator', at, event.version, undefined, kinds[mediator]);
      s.participants = participants;
      return s;
    }
    case 'participant.joined':
      s.participants = upsertParticipant(s, event.data.name, event.data.role, at, event.version, event.data.represents, event.data.kind);
      return s;
    case 'participant.role_changed':
      s.participants = upsertParticipant(s, event.data.name, event.data.role, at, event.version);
      return s;
    case 'progress.assessed': {
      const entry = { version: event.version, at, assessment: event.data.assessment, by: event.data.by, onRecord: !event.source.anonymous };
      s.assessments = newest(withInOrder(s.assessments, entry), limits.assessments);
      return s;
    }
    case 'statement.issued':
    case 'statement.none_noted': {
      const party = event.type === 'statement.issued' ? (event.data.party ?? event.data.speaker.affiliation) : event.data.party;
      const positionAt = event.type === 'statement.none_noted' ? event.data.asOf : at;
      const current = s.positions.find((p) => p.party === party);
      if (current !== undefined && !isAtOrAfter(positionAt, event.version, current.at, current.version)) return s;
      const base = { party, version: event.version, at: positionAt, source: sourceRef(event) };
      const entry =
        event.type === 'statement.issued'
          ? {
              ...base,
              kind: 'statement' as const,
              speaker: event.data.speaker,
              stance: event.data.stance,
              summary: event.data.summary,
              ...(event.data.quote === undefined ? {} : { quote: event.data.quote }),
            }
          : {
              ...base,
              kind: 'no_statement' as const,
              declinedToComment: event.data.declinedToComment,
              ...(event.data.note === undefined ? {} : { summary: event.data.note }),
            };
      s.positions = capped([...s.positions.filter((p) => p.party !== party), entry], limits.positions);
      return s;
    }
    case 'deadline.set': {
      const d = event.data;
      const entry = {
        version: event.version,
        due: d.due,
        duePrecision: d.duePrecision,
        kind: d.kind,
        setBy: d.setBy,
        appliesTo: d.appliesTo,
        ...defined({ consequence: d.consequence, concerns: d.concerns, agreementId: d.agreementId }),
      };
      s.deadlines = capped([...s.deadlines, entry], limits.deadlines);
      return s;
    }
    case 'deadline.resolved': {
      const d = event.data;
      const outcome = { value: d.outcome, at, derived: false, version: event.version, ...defined({ note: d.note }) };
      s.deadlines = s.deadlines.map((entry) =>
        entry.version === d.deadlineVersion &&
        (entry.outcome === undefined || isAtOrAfter(at, event.version, entry.outcome.at ?? '', entry.outcome.version ?? 0))
          ? { ...entry, outcome }
          : entry,
      );
      if (d.newDue !== undefined && d.outcome === 'extended') {
        const old = s.deadlines.find((entry) => entry.version === d.deadlineVersion);
        if (old !== undefined) {
          const { outcome: _, ...rest } = old;
          s.deadlines = capped([...s.deadlines, { ...rest, version: event.version, due: d.newDue }], limits.deadlines);
        }
      }
      return s;
    }
    case 'meeting.held':
      s.meetings = {
        count: s.meetings.count + 1,
        last:
          s.meetings.last !== undefined && !isAtOrAfter(at, event.version, s.meetings.last.at, s.meetings.last.version)
            ? s.meetings.last
            : {
                version: event.version,
                at,
                kind: event.data.kind,
                participants: event.data.participants,
                ...(event.data.place === undefined ? {} : { place: event.data.place }),
              },
      };
      return s;
    case 'proposal.tabled':
      s.proposals = capped(
        [
          ...s.proposals,
          {
            version: event.version,
            at,
            by: event.data.by,
            families: [...new Set(event.data.terms.map((t) => t.family))],
            ...(event.data.summary === undefined ? {} : { summary: event.data.summary }),
          },
        ],
        limits.proposals,
      );
      return s;
    case 'agreement.approval_decided': {
      const next = applyAgreementEvent(s, event, at);
      const d = event.data;
      const agreementId = next.agreements.find((a) => a.approvals.some((x) => x.version === event.version))?.id ?? '';
      const current = s.positions.find((p) => p.party === d.party);
      if (current !== undefined && !isAtOrAfter(at, event.version, current.at, current.version)) return next;
      const entry = {
        party: d.party,
        version: event.version,
        at,
        kind: 'decision' as const,
        stance:
          d.outcome === 'approved' ? ('supportive' as const) : d.outcome === 'rejected' ? ('opposed' as const) : ('cautious' as const),
        summary: `${d.by ?? d.party}: ${d.outcome} the agreement${d.conditions === undefined ? '' : ` (${d.conditions})`}`,
        decision: { agreementId, body: d.body, outcome: d.outcome },
        source: sourceRef(event),
      };
      next.positions = capped([...next.positions.filter((p) => p.party !== d.party), entry], limits.positions);
      return next;
    }
    case 'agreement.reached':
    case 'agreement.start_announced':
    case 'agreement.took_effect':
    case 'agreement.extended':
    case 'agreement.breached':
    case 'agreement.suspended':
    case 'agreement.ended':
      return applyAgreementEvent(s, event, at);
    case 'exchange.carried_out':
      return applyExchange(s, event, at, event.corrections);
    case 'figure.reported': {
      const { metric, label, value, low, best, high, unit, qualifier, asOf, caveat, originator } = event.data;
      const entry = {
        version: event.version,
        metric,
        unit,
        qualifier,
        originator,
        publisher: event.source.name,
        reportedAt: event.reportedAt,
        ...defined({ label, value, low, best, high, asOf, caveat, corrections: event.corrections }),
      };
      s.figures = capped([...s.figures, entry], limits.figures);
      return s;
    }
    case 'talks.collapsed':
      return collapseUnstarted(s, event, at);
    case 'talks.stalled':
    case 'talks.suspended':
    case 'talks.resumed':
    case 'talks.concluded':
      return s;
    case 'report.corrected':
    case 'report.retracted':
      throw new Error('revisions are resolved by project(), never evolved');
    default: {
      const unknownEvent: never = event;
      throw new Error(`unhandled event type ${(unknownEvent as { type: string }).type}`);
    }
  }
}

/** The fields that are set (a loop: it runs for most developments folded). */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  const set: Record<string, unknown> = {};
  for (const key in fields) if (fields[key] !== undefined) set[key] = fields[key];
  return set as Partial<T>;
}
