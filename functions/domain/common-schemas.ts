// zod's "mini" build: the same schemas with tree-shakable functions, so a Lambda bundle
// carries about 25 KB of zod instead of 90 KB (see bench/RESULTS.md, bundle sizes).
import * as z from 'zod/mini';

/**
 * Characters no stored string may hold, because a reader's terminal or page would act on
 * them instead of showing them: C0 and C1 controls and DEL (an ESC starts a terminal
 * escape sequence, BEL rings, CR rewrites the line), the bidirectional controls that
 * reorder what is shown (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069, the
 * "Trojan Source" set), and UTF-16 surrogates not in a pair (no UTF-8 form: the stored
 * text and its hash would differ). Prose may also hold tab, newline and CRLF.
 */
const bidiControls = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const forbiddenInLine = `\\u0000-\\u001F\\u007F-\\u009F${bidiControls}\\uD800-\\uDFFF`;
const forbiddenInProse = `\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F${bidiControls}\\uD800-\\uDFFF`;
// A surrogate pair is spelled out so that the pattern means the same with or without the
// `u` flag (JSON Schema validators differ): with it, a pair is one code point outside the class.
const pair = '[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]';
export const lineCharacters = new RegExp(`^(?:[^${forbiddenInLine}]|${pair})*$`);
export const proseCharacters = new RegExp(`^(?:[^${forbiddenInProse}]|\\r\\n|${pair})*$`);

const isBidiControl = (unit: number) =>
  unit === 0x061c || unit === 0x200e || unit === 0x200f || (unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069);
const codePoint = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/** Names the first character a string may not hold, and where: "U+001B (a control character) at offset 0". */
export function forbiddenCharacter(value: string, prose: boolean): string | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i += 1;
      continue;
    }
    const at = ` at offset ${i}`;
    if (unit >= 0xd800 && unit <= 0xdfff) return `${codePoint(unit)} (an unpaired UTF-16 surrogate)${at}`;
    if (prose && (unit === 0x09 || unit === 0x0a || (unit === 0x0d && next === 0x0a))) continue;
    if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f)) return `${codePoint(unit)} (a control character)${at}`;
    if (isBidiControl(unit)) return `${codePoint(unit)} (a bidirectional control)${at}`;
  }
  return undefined;
}

const forbiddenMessage = (value: unknown, prose: boolean) =>
  `must not contain control characters, bidirectional controls or unpaired surrogates${prose ? ' (tab and newline are allowed)' : ''}: found ${
    forbiddenCharacter(String(value), prose) ?? 'one'
  }`;

/** The check of `lineCharacters` or `proseCharacters`, as a pattern the OpenAPI document carries too. */
const printable = (prose: boolean) =>
  z.regex(prose ? proseCharacters : lineCharacters, { abort: true, error: (issue) => forbiddenMessage(issue.input, prose) });

/**
 * Bounded text: every string a client sends has a length limit (DynamoDB items cap at 400 KB)
 * and only characters that print. Its characters are checked before trimming, so that the
 * pattern in the OpenAPI document (which sees the string as sent) says what the server does;
 * for the same reason blank text is refused by a pattern too.
 */
const boundedText = (max: number, prose: boolean) =>
  z
    .string()
    .check(printable(prose), z.regex(/\S/, { abort: true, error: 'must not be blank' }), z.trim(), z.minLength(1), z.maxLength(max));

/**
 * For a free record (a correction's `data`, checked later against its target's schema): every
 * string in it, keys too, holds only what prose may; the target's schema then says which
 * field is a single line. Iterative, so that no nesting can exhaust the stack.
 */
export const printableJson = z.check((ctx: z.core.ParsePayload<Record<string, unknown>>) => {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: ctx.value, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (forbiddenCharacter(value, true) !== undefined)
        ctx.issues.push({ code: 'custom', message: forbiddenMessage(value, true), path, input: value });
    } else if (Array.isArray(value))
      value.forEach((item, i) => {
        pending.push({ value: item, path: [...path, i] });
      });
    else if (typeof value === 'object' && value !== null)
      for (const [key, item] of Object.entries(value)) {
        if (forbiddenCharacter(key, false) !== undefined)
          ctx.issues.push({ code: 'custom', message: `a key ${forbiddenMessage(key, false)}`, path, input: key });
        pending.push({ value: item, path: [...path, key] });
      }
  }
});

/** One line of text: names, titles, labels, units. No tab, no newline. */
export const text = (max: number) => boundedText(max, false);

/** Prose: summaries, quotes, notes, reasons, terms. Tab, newline and CRLF are allowed. */
export const prose = (max: number) => boundedText(max, true);

/** Documentation that travels with a schema into the OpenAPI document. */
export const described = <S extends z.ZodMiniType>(schema: S, description: string): S => schema.check(z.describe(description)) as S;

/**
 * Normalised to UTC, a time must still have a four-digit year: an offset can push
 * 9999-12-31T23:59:59-23:59 into year 10000, which ISO writes as "+010000-..." (sorting as
 * the earliest time as a string and the latest as a date), and 0000-01-01T00:00+01:00 into
 * year -1. Every stored time therefore lies within years 0000 to 9999.
 */
const toUtc = z.transform((value: string, ctx) => {
  const utc = new Date(value).toISOString();
  if (!/^\d{4}-/.test(utc)) {
    ctx.issues.push({ code: 'custom', message: 'the time falls outside years 0000-9999 once normalised to UTC', input: value });
    return z.NEVER;
  }
  return utc;
});

/** ISO-8601 with an offset (or Z); stored and returned in UTC. */
export const isoTime = z.pipe(z.iso.datetime({ offset: true }), toUtc);

/** A calendar date or a full time, normalised to UTC like isoTime. */
export const isoDateOrTime = z.pipe(z.union([z.iso.date(), z.iso.datetime({ offset: true })]), toUtc);

/** How exact a valid time is: "by the end of the week" is a week. */
export const timePrecision = z.enum(['instant', 'hour', 'day', 'week', 'month', 'year']);

export const name = text(120);
export const names = (max: number) => z.array(name).check(z.maxLength(max));

/** Talks ids become partition keys and URL segments: no separators, no spaces. */
export const talksIdSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
      'letters, digits, ".", "_" and "-" only, 1 to 128 characters, starting with a letter or digit',
    ),
  );

/**
 * Who said it and who published it, after the wire-service rule: an anonymous source is
 * described by role, with why it is anonymous and whether it has direct knowledge.
 */
export const sourceSchema = z.strictObject({
  name: described(text(200), 'The outlet or institution that published the report'),
  // Checked as sent, before the URL check (which trims, and whose parser drops tabs and newlines):
  // the document says `uri` as the URL check would.
  url: z.optional(
    z
      .pipe(z.string().check(printable(false), z.maxLength(2000)), z.url({ protocol: /^https?$/ }))
      .check(z.meta({ format: 'uri', allOf: [{ pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' }] })),
  ),
  attribution: z.optional(described(text(300), 'Who said it, as the report gives it')),
  anonymous: z._default(z.boolean(), false),
  anonymityReason: z.optional(prose(300)),
  directKnowledge: z.optional(z.boolean()),
});

export type Source = z.infer<typeof sourceSchema>;

/** Provision families after PA-X, so terms can be compared across agreements. */
export const provisionFamily = z.enum([
  'ceasefire',
  'hostage_release',
  'prisoner_release',
  'withdrawal_of_forces',
  'humanitarian_aid',
  'detainees',
  'missing_persons',
  'return_of_displaced',
  'reconstruction',
  'governance',
  'other',
]);

export const termsSchema = z.array(z.strictObject({ family: provisionFamily, text: prose(1000) })).check(z.minLength(1), z.maxLength(50));

export type Terms = z.infer<typeof termsSchema>;

/** What a participant is: a person links to the state or organization it represents. */
export const participantKind = z.enum(['state', 'organization', 'person']);
export type ParticipantKind = z.infer<typeof participantKind>;

/** Client-chosen ids that name one agreement or one exchange across reports ("truce-2023-11"). */
export const slug = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-" only, 1 to 64 characters'));

/** How long a precision window lasts, from its start: "by the end of the week" is a week. */
export const precisionEnd = {
  instant: (d: Date) => d,
  hour: (d: Date) => new Date(d.getTime() + 3_600_000),
  day: (d: Date) => new Date(d.getTime() + 86_400_000),
  week: (d: Date) => new Date(d.getTime() + 7 * 86_400_000),
  month: (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes())),
  year: (d: Date) => new Date(Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes())),
} as const;
export type TimePrecision = keyof typeof precisionEnd;

export const participantRole = z.enum(['party', 'mediator', 'envoy', 'guarantor', 'observer']);
export type ParticipantRole = z.infer<typeof participantRole>;
