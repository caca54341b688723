// Words and numbers for people: event summaries, times, amounts. No DOM here.

const words = (s) => String(s ?? '').replaceAll('_', ' ');

/** One line per development, in the words the status view uses. */
export function describeEvent(event) {
  const d = event.data ?? {};
  switch (event.type) {
    case 'talks.opened':
      return `Talks opened: ${d.title}`;
    case 'participant.joined':
      return `${d.name} joined as ${d.role}${d.represents ? ` for ${d.represents}` : ''}`;
    case 'participant.role_changed':
      return `${d.name} is now ${d.role}`;
    case 'progress.assessed':
      return `Progress assessed as ${words(d.assessment)} by ${d.by}${d.summary ? `: ${d.summary}` : ''}`;
    case 'statement.issued': {
      const speaker = typeof d.speaker === 'string' ? d.speaker : d.speaker?.name;
      return `${speaker}: ${d.summary}`;
    }
    case 'statement.none_noted':
      return `${d.party}: ${d.declinedToComment ? 'declined to comment' : 'no statement'}${d.note ? ` (${d.note})` : ''}`;
    case 'deadline.set':
      return `${capitalise(d.kind)} set by ${d.setBy}: ${d.appliesTo}`;
    case 'meeting.held':
      return `${capitalise(words(d.kind))}: ${(d.participants ?? []).join(', ')}${d.place ? ` in ${d.place}` : ''}`;
    case 'proposal.tabled':
      return `Proposal tabled by ${d.by}${d.summary ? `: ${d.summary}` : ''}`;
    case 'agreement.reached':
      return 'Agreement reached';
    case 'agreement.took_effect':
      return `Agreement took effect${d.phase ? ` (${d.phase})` : ''}`;
    case 'exchange.carried_out':
      return `Released: ${(d.released ?? []).map((r) => `${r.count} ${r.kind}s by ${r.releasedBy}`).join('; ')}`;
    case 'figure.reported':
      return `${d.label ?? words(d.metric)}: ${amount(d)} (${d.originator})`;
    case 'report.corrected':
      return `Correction of version ${d.targetVersion}: ${d.reason}`;
    case 'report.retracted':
      return `Retraction of version ${d.targetVersion}: ${d.reason}`;
    default:
      if (event.type?.startsWith('talks.')) return `Talks ${event.type.slice(6)}${d.reason ? `: ${d.reason}` : ''}`;
      return words(event.type);
  }
}

export const capitalise = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : '');
/** figure.reported → "Figure reported". */
export const typeLabel = (type) => capitalise(String(type).replace('.', ' ').replaceAll('_', ' '));
export const label = words;

const number = new Intl.NumberFormat('en');

/** "about 1,200 people", "at least 46,500 people (40,000–50,000)". */
export function amount(f) {
  const value = f.value ?? f.best;
  const qualifier = f.qualifier && f.qualifier !== 'exact' ? `${words(f.qualifier)} ` : '';
  const range = f.low !== undefined && f.high !== undefined ? ` (${number.format(f.low)}–${number.format(f.high)})` : '';
  return `${qualifier}${value === undefined ? '?' : number.format(value)} ${f.unit}${range}`;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** 13 Jan 2025, or 13 Jan 2025 12:00 UTC when the time of day is known. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0;
  return midnight ? dateFormat.format(d) : `${dateFormat.format(d)} ${timeFormat.format(d)} UTC`;
}

/** "in 3 days 4 hours" or "passed 2 days ago". */
export function timeLeft(endIso, now = Date.now()) {
  const ms = Date.parse(endIso) - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  // Hours stop mattering once a deadline is a week or more away (or ago).
  const span =
    days >= 7
      ? plural(days, 'day')
      : days > 0
        ? `${plural(days, 'day')} ${plural(hours, 'hour')}`
        : hours > 0
          ? `${plural(hours, 'hour')} ${plural(minutes, 'minute')}`
          : plural(minutes, 'minute');
  return ms > 0 ? `in ${span}` : `passed ${span} ago`;
}

/** Who said it: the outlet, and the attribution when the report gives one. */
export const sourceText = (s) => (s ? [s.name, s.attribution].filter(Boolean).join(' — ') : '');
