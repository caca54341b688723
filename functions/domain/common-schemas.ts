import * as z from 'zod';

/** Bounded text: every string a client sends has a length limit (DynamoDB items cap at 400 KB). */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** ISO-8601 with an offset (or Z); stored and returned in UTC. */
export const isoTime = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString());

/** A calendar date or a full time, normalised to UTC like isoTime. */
export const isoDateOrTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((value) => new Date(value).toISOString());

/** How exact a valid time is: "by the end of the week" is a week. */
export const timePrecision = z.enum(['instant', 'hour', 'day', 'week', 'month', 'year']);

export const name = text(120);
export const names = (max: number) => z.array(name).max(max);

/** Talks ids become partition keys and URL segments: no separators, no spaces. */
export const talksIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" and "-" only, 1 to 128 characters, starting with a letter or digit');

/**
 * Who said it and who published it, after the wire-service rule: an anonymous source is
 * described by role, with why it is anonymous and whether it has direct knowledge.
 */
export const sourceSchema = z.strictObject({
  name: text(200).describe('The outlet or institution that published the report'),
  url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  attribution: text(300).optional().describe('Who said it, as the report gives it'),
  anonymous: z.boolean().default(false),
  anonymityReason: text(300).optional(),
  directKnowledge: z.boolean().optional(),
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

export const termsSchema = z
  .array(z.strictObject({ family: provisionFamily, text: text(1000) }))
  .min(1)
  .max(50);

export type Terms = z.infer<typeof termsSchema>;

export const participantRole = z.enum(['party', 'mediator', 'envoy', 'guarantor', 'observer']);
export type ParticipantRole = z.infer<typeof participantRole>;
