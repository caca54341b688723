/**
 * The server stores every time in UTC with a four-digit year (common-schemas.ts, isoTime):
 * an offset that carries 9999-12-31 past midnight UTC, or 0000-01-01 before it, is refused.
 * JSON Schema's `date-time` cannot say so, so the document says it with a pattern of the
 * times that fall outside: every date-time in it is `not` that pattern. The pattern works
 * on the server's own form (HH:MM:SS[.fff] and an offset ±hh:mm, checked by the same
 * schema's own pattern), comparing minutes of the day: with local L and offset O, 9999-12-31
 * overflows when L + O ≥ 24:00 (offset west), 0000-01-01 underflows when L < O (offset east).
 */
export const outsideYearsComponent = 'TimeOutsideYears0000To9999';

const two = (n: number) => String(n).padStart(2, '0');
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const anyOf = (alternatives: string[]) => `(?:${alternatives.join('|')})`;

/** Two-digit numbers 00 to 59 that are at least k (0 ≤ k ≤ 59). */
function atLeast(k: number): string {
  const tens = Math.floor(k / 10);
  const units = k % 10;
  const first = units === 0 ? `${tens}\\d` : `${tens}[${units}-9]`;
  return tens < 5 ? `(?:${first}|[${tens + 1}-5]\\d)` : first;
}

/** The rest of the time after HH:MM, up to the offset's sign (seconds and a fraction). */
const seconds = (sign: '-' | '\\+') => `:\\d\\d(?:\\.\\d+)?${sign}`;

function overflowPattern(): string {
  // Hours alone decide when H + h ≥ 24; at H + h = 23 the minutes must add up to an hour.
  const byHours = range(1, 23).map((h) => `${two(h)}:\\d\\d${seconds('-')}${anyOf(range(24 - h, 23).map(two))}:\\d\\d`);
  const minutes = range(1, 59).map((m) => `${two(m)}${seconds('-')}\\d\\d:${atLeast(60 - m)}`);
  const hours23 = range(0, 23).map((h) => `${two(h)}:\\d\\d${seconds('-')}${two(23 - h)}:\\d\\d`);
  return `9999-12-31T${anyOf([...byHours, `(?=\\d\\d:${anyOf(minutes)}$)${anyOf(hours23)}`])}`;
}

function underflowPattern(): string {
  // Hours alone decide when H < h; at H = h the offset's minutes must exceed the time's.
  const byHours = range(0, 22).map((h) => `${two(h)}:\\d\\d${seconds('\\+')}${anyOf(range(h + 1, 23).map(two))}:\\d\\d`);
  const minutes = range(0, 58).map((m) => `${two(m)}${seconds('\\+')}\\d\\d:${atLeast(m + 1)}`);
  const sameHour = range(0, 23).map((h) => `${two(h)}:\\d\\d${seconds('\\+')}${two(h)}:\\d\\d`);
  return `0000-01-01T${anyOf([...byHours, `(?=\\d\\d:${anyOf(minutes)}$)${anyOf(sameHour)}`])}`;
}

/** Matches exactly the well-formed times the server refuses for their year once in UTC. */
export const outsideYearsPattern = `^${anyOf([overflowPattern(), underflowPattern()])}$`;

type Json = Record<string, unknown>;

/** Adds `not` the outside-years component to every date-time schema in the value, in place. */
export function boundDateTimes(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) boundDateTimes(item);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const node = value as Json;
  if (node.format === 'date-time' && node.not === undefined) node.not = { $ref: `#/components/schemas/${outsideYearsComponent}` };
  for (const child of Object.values(node)) boundDateTimes(child);
}

export const outsideYearsSchema = {
  type: 'string',
  description:
    'Times the server refuses: an offset that moves 9999-12-31 past midnight UTC or 0000-01-01 before it (stored times keep a four-digit year)',
  pattern: outsideYearsPattern,
};
