import { describeEvent } from './describe-event.js';
import { computeMomentum } from './momentum.js';
import { type StoredEvent, validTimeOf } from './submitted-event.js';
import { limits, type Phase, type SourceRef, type TalksStatus } from './talks-status.js';

const phaseOf: Partial<Record<StoredEvent['type'], Phase>> = {
  'talks.opened': 'active',
  'talks.resumed': 'active',
  'talks.stalled': 'stalled',
  'talks.suspended': 'suspended',
  'talks.collapsed': 'collapsed',
  'talks.concluded': 'concluded',
  'agreement.reached': 'agreed',
  'agreement.took_effect': 'in_force',
};

/** Keeps the newest `max` entries; lists stay bounded so the status item does too. */
const capped = <T>(list: readonly T[], max: number): T[] => (list.length > max ? list.slice(list.length - max) : [...list]);

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
export function evolve(status: TalksStatus, event: StoredEvent): TalksStatus {
  const at = validTimeOf(event);
  const next: TalksStatus = {
    ...applyData({ ...status }, event, at),
    version: event.version,
    headHash: event.hash,
    updatedAt: event.recordedAt,
    counts: { ...status.counts, events: status.counts.events + 1, developments: status.counts.developments + 1 },
  };
  const phase = phaseOf[event.type];
  if (phase !== undefined && (next.phaseVersion === 0 || isAtOrAfter(at, event.version, next.phaseSince, next.phaseVersion))) {
    next.phase = phase;
    next.phaseSince = at;
    next.phaseVersion = event.version;
  }
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
): TalksStatus['participants'] {
  const rest = s.participants.filter((p) => p.name !== name);
  const previous = s.participants.find((p) => p.name === name);
  const entry = {
    name,
    role,
    since: previous?.role === role ? previous.since : at,
    version,
    ...(represents === undefined ? (previous?.represents === undefined ? {} : { represents: previous.represents }) : { represents }),
  };
  return capped([...rest, entry], limits.participants);
}

function applyData(s: TalksStatus, event: StoredEvent, at: string): TalksStatus {
  switch (event.type) {
    case 'talks.opened': {
      const d = event.data;
      s.title = d.title;
      if (d.subject !== undefined) s.subject = d.subject;
      if (d.format !== undefined) s.format = d.format;
      s.openedAt = at;
      let participants = s.participants;
      for (const party of d.parties) participants = upsertParticipant({ ...s, participants }, party, 'party', at, event.version);
      for (const mediator of d.mediators) participants = upsertParticipant({ ...s, participants }, mediator, 'mediator', at, event.version);
      s.participants = participants;
      return s;
    }
    case 'participant.joined':
      s.participants = upsertParticipant(s, event.data.name, event.data.role, at, event.version, event.data.represents);
      return s;
    case 'participant.role_changed':
      s.participants = upsertParticipant(s, event.data.name, event.data.role, at, event.version);
      return s;
    case 'progress.assessed': {
      const entry = { version: event.version, at, assessment: event.data.assessment, by: event.data.by, onRecord: !event.source.anonymous };
      const sorted = [...s.assessments, entry].sort((a, b) => (a.at === b.at ? a.version - b.version : a.at < b.at ? -1 : 1));
      s.assessments = capped(sorted, limits.assessments);
      s.momentum = computeMomentum(s.assessments);
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
        ...(d.consequence === undefined ? {} : { consequence: d.consequence }),
      };
      s.deadlines = capped([...s.deadlines, entry], limits.deadlines);
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
    case 'agreement.reached':
      s.agreement = {
        ...s.agreement,
        state: s.agreement.state === 'in_force' ? 'in_force' : 'agreed',
        version: event.version,
        agreedAt: at,
        terms: event.data.terms,
        phases: event.data.phases,
        signatories: event.data.signatories,
      };
      return s;
    case 'agreement.took_effect':
      s.agreement = {
        ...s.agreement,
        state: 'in_force',
        inForceSince: s.agreement.inForceSince !== undefined && s.agreement.inForceSince < at ? s.agreement.inForceSince : at,
        ...(event.data.phase === undefined ? {} : { currentPhase: event.data.phase }),
      };
      return s;
    case 'exchange.carried_out': {
      const released = { ...s.exchanges.released };
      for (const r of event.data.released) released[r.kind] = (released[r.kind] ?? 0) + r.count;
      s.exchanges = { count: s.exchanges.count + 1, released };
      return s;
    }
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
        ...defined({ label, value, low, best, high, asOf, caveat }),
      };
      s.figures = capped([...s.figures, entry], limits.figures);
      return s;
    }
    case 'talks.stalled':
    case 'talks.suspended':
    case 'talks.resumed':
    case 'talks.collapsed':
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

function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
