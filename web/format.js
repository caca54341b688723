// Words and numbers for people: labels, times, amounts. No DOM here. Events are described by
// the API (the history's summaries), in the domain's words: this page keeps no copy of them.

const words = (s) => String(s ?? '').replaceAll('_', ' ');

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

/** Text the API wrote with ISO times in it ("Start 2023-11-24T05:00:00.000Z"), with the times for people. */
export const withReadableTimes = (text) =>
  String(text ?? '').replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g, (iso) => when(iso));

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
