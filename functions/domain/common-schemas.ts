// zod's "mini" build: the same schemas with tree-shakable functions, so a Lambda bundle
// carries about 25 KB of zod instead of 90 KB (see bench/RESULTS.md, bundle sizes).
import * as z from 'zod/mini';

/** Bounded text: every string a client sends has a length limit (DynamoDB items cap at 400 KB). */
export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

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
  url: z.optional(z.url({ protocol: /^https?$/ }).check(z.maxLength(2000))),
  attribution: z.optional(described(text(300), 'Who said it, as the report gives it')),
  anonymous: z._default(z.boolean(), false),
  anonymityReason: z.optional(text(300)),
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

export const termsSchema = z.array(z.strictObject({ family: provisionFamily, text: text(1000) })).check(z.minLength(1), z.maxLength(50));

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
