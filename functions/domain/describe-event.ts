import type { StoredEvent } from './submitted-event.js';
import { upcast } from './upcasters.js';

const clip = (value: string, max = 200): string => (value.length <= max ? value : `${value.slice(0, max - 1)}…`);

/**
 * A one-line summary of a development: the status's `lastDevelopment`, the history's
 * `summaries`, the CLI and the status page all show these words, so they never disagree.
 * Events of any schema version read the same: the wording sees them upcast.
 */
export function describeEvent(stored: StoredEvent): string {
  const event = upcast(stored);
  switch (event.type) {
    case 'talks.opened':
      return clip(`Talks opened: ${event.data.title}`);
    case 'participant.joined':
      return clip(`${event.data.name} joined as ${event.data.role}`);
    case 'participant.role_changed':
      return clip(`${event.data.name} is now ${event.data.role}`);
    case 'progress.assessed':
      return clip(`${event.data.assessment.replaceAll('_', ' ')} (${event.data.by})`);
    case 'statement.issued':
      return clip(`${event.data.speaker.name} (${event.data.speaker.affiliation}): ${event.data.summary}`);
    case 'statement.none_noted':
      return clip(`${event.data.party}: ${event.data.declinedToComment ? 'declined to comment' : 'no statement'}`);
    case 'deadline.set':
      return clip(`${event.data.kind} set by ${event.data.setBy}: ${event.data.appliesTo}`);
    case 'meeting.held':
      return clip(`${event.data.kind}: ${event.data.participants.join(', ')}`);
    case 'proposal.tabled':
      return clip(`Proposal tabled by ${event.data.by}`);
    case 'deadline.resolved':
      return clip(`Deadline (version ${event.data.deadlineVersion}) ${event.data.outcome}${event.data.note ? `: ${event.data.note}` : ''}`);
    case 'agreement.reached':
      return clip(`Agreement reached${event.data.name ? `: ${event.data.name}` : ''}`);
    case 'agreement.approval_decided':
      return clip(`${event.data.by ?? event.data.party} (${event.data.body.replaceAll('_', ' ')}): ${event.data.outcome}`);
    case 'agreement.start_announced':
      return clip(`Start announced for ${event.data.startsAt}${event.data.by ? ` (${event.data.by})` : ''}`);
    case 'agreement.took_effect':
      return clip(`Agreement took effect${event.data.phase ? ` (${event.data.phase})` : ''}`);
    case 'agreement.extended':
      return clip(`Agreement extended ${event.data.days === undefined ? `until ${event.data.until}` : `by ${event.data.days} days`}`);
    case 'agreement.breached':
      return clip(`${event.data.held ? 'Breach alleged' : 'Agreement breached'}: ${event.data.summary}`);
    case 'agreement.suspended':
      return clip(`Agreement suspended${event.data.reason ? `: ${event.data.reason}` : ''}`);
    case 'agreement.ended':
      return clip(`Agreement ${event.data.how}${event.data.reason ? `: ${event.data.reason}` : ''}`);
    case 'talks.stalled':
    case 'talks.suspended':
    case 'talks.resumed':
    case 'talks.collapsed':
    case 'talks.concluded':
      return clip(`Talks ${event.type.slice('talks.'.length)}${event.data.reason ? `: ${event.data.reason}` : ''}`);
    case 'exchange.carried_out':
      return clip(
        `Released: ${event.data.released
          .map((r) => `${r.count} ${r.group === undefined ? '' : `${r.group} `}${r.kind}${r.count === 1 ? '' : 's'} by ${r.releasedBy}`)
          .join('; ')}`,
      );
    case 'figure.reported':
      return clip(
        `${event.data.label ?? event.data.metric}: ${event.data.qualifier.replaceAll('_', ' ')} ${event.data.value ?? event.data.best} ${event.data.unit} (${event.data.originator})`,
      );
    case 'report.corrected':
      return clip(`Correction of version ${event.data.targetVersion}: ${event.data.reason}`);
    case 'report.retracted':
      return clip(`Retraction of version ${event.data.targetVersion}: ${event.data.reason}`);
    default: {
      const unknownEvent: never = event;
      throw new Error(`unhandled event type ${(unknownEvent as { type: string }).type}`);
    }
  }
}

/** The description of one event of a history page, named by its version. */
export interface EventSummary {
  version: number;
  summary: string;
}

/** One summary per event, in the events' order (the history page lays them beside its items). */
export const summariseEvents = (events: readonly StoredEvent[]): EventSummary[] =>
  events.map((event) => ({ version: event.version, summary: describeEvent(event) }));
