import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../../functions/controllers/append-events-controller.js';
import { type EventType, eventTypes } from '../../functions/domain/event-catalog.js';
import { InputError } from '../../functions/http/http-errors.js';
import { buildOpenApiDocument } from '../../functions/http/openapi-document.js';
import { jsonBody } from '../../functions/http/request-parsing.js';
import { dataArbitraries, envelopeArbitrary } from './event-arbitraries.js';

/**
 * No stored string holds a character a terminal or a page would act on: for every event
 * type and every string field, one such character inserted anywhere is a 400 naming that
 * field. Prose fields (by name, below) may hold tab and newline; no other field may.
 */
const proseFields = new Set([
  'subject',
  'note',
  'summary',
  'quote',
  'consequence',
  'conditions',
  'caveat',
  'reason',
  'appliesTo',
  'text',
  'anonymityReason',
]);
const alwaysRefused = [
  '\u0000', '\u0007', '\u0008', '\u000b', '\u000c', '\r', '\u001b', '\u001f', // C0 (a lone CR rewrites the line)
  '\u007f', '\u0080', '\u0085', '\u009b', '\u009f', // DEL and C1 (U+009B is an 8-bit CSI)
  '\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', // bidi
  '\ud800', '\udbff', '\udc00', '\udfff', // unpaired surrogates
]; // biome-ignore format: one family a line
const proseOnly = ['\n', '\t'];

type Json = Record<string, unknown>;
const sentence = fc.constantFrom('Progress was made', 'Talks will go on', 'No comment');
const revisionArbitraries: Record<'report.corrected' | 'report.retracted', fc.Arbitrary<Json>> = {
  'report.corrected': fc.record({
    targetVersion: fc.integer({ min: 1, max: 30 }),
    corrected: fc.record(
      {
        occurredAt: fc.constant('2025-01-02T10:00:00Z'),
        reportedAt: fc.constant('2025-01-02T12:00:00+02:00'),
        data: fc.constant({ summary: 'Fixed' }),
      },
      { requiredKeys: ['reportedAt'] },
    ),
    reason: sentence,
    issuedBy: fc.constantFrom('source', 'submitter', 'editor'),
  }),
  'report.retracted': fc.record({
    targetVersion: fc.integer({ min: 1, max: 30 }),
    reason: sentence,
    issuedBy: fc.constantFrom('source', 'editor'),
  }),
};
/** Optional fields the shared arbitraries leave out, so that every string field is drawn. */
const extraData: Partial<Record<EventType, Json>> = {
  'participant.role_changed': { note: 'Moved up' },
  'agreement.extended': { note: 'Two more days' },
  'agreement.ended': { supersededBy: 'phase-two-deal' },
  'figure.reported': { label: 'Killed' },
  'agreement.reached': {
    phases: [{ name: 'Phase one', durationDays: 5, startsAt: '2025-01-05T00:00:00Z', summary: 'Hostages for prisoners' }],
  },
};
const eventOf = (type: EventType): fc.Arbitrary<Json> =>
  fc
    .tuple(
      type in revisionArbitraries
        ? revisionArbitraries[type as keyof typeof revisionArbitraries]
        : dataArbitraries[type as keyof typeof dataArbitraries],
      envelopeArbitrary,
      fc.uuid(),
      fc.record({ url: fc.constant('https://example.org/report'), anonymityReason: sentence, directKnowledge: fc.boolean() }),
    )
    .map(([data, envelope, eventId, source]) => ({
      ...envelope,
      eventId,
      type,
      source: { ...(envelope.source as Json), ...source },
      data: { ...data, ...extraData[type] },
    }));

interface Leaf {
  path: (string | number)[];
  value: string;
}
function stringLeaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...path, i]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}
function withLeaf(root: Json, path: (string | number)[], value: string): Json {
  const copy = structuredClone(root);
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1) as string | number] = value;
  return copy;
}

/** What the server answers to this body: the field problems of its 400, or none. */
function refusedFields(body: Json): string[] {
  const raw = JSON.stringify(body);
  try {
    parseSubmission(jsonBody({ headers: { 'content-type': 'application/json' }, body: raw, isBase64Encoded: false } as never));
    return [];
  } catch (error) {
    if (error instanceof InputError) return [...new Set(error.fields.map((f) => f.field))];
    throw error;
  }
}

/** Every string field the document declares for an event type, arrays as `*`: what the property must reach. */
function documentedStringFields(type: EventType): string[] {
  const schemas = (buildOpenApiDocument({ readsPublic: true }).components as { schemas: Record<string, Json> }).schemas;
  const id = `${type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}Event`;
  const out: string[] = [];
  const walk = (schema: Json, path: string[]) => {
    if (typeof schema.$ref === 'string') return walk(schemas[schema.$ref.split('/').at(-1) as string] as Json, path);
    const branches = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
    if (schema.type === 'string' || branches?.every((b) => b.type === 'string')) out.push(path.join('/'));
    else if (schema.type === 'array') walk(schema.items as Json, [...path, '*']);
    else if (typeof schema.additionalProperties === 'object' && schema.propertyNames !== undefined)
      walk(schema.additionalProperties as Json, [...path, '*']);
    else if (schema.properties !== undefined)
      for (const [key, property] of Object.entries(schema.properties as Record<string, Json>)) walk(property, [...path, key]);
  };
  walk(schemas[id] as Json, []);
  // `corrected.data` is a free record checked against its target's own schema (a 422 naming the field).
  return out.sort();
}

describe('control characters, bidi controls and unpaired surrogates in stored strings', () => {
  it("refuses the issue's example with a 400 naming source/name", () => {
    const body = {
      events: [
        {
          type: 'talks.opened',
          reportedAt: '2025-01-13T12:00:00Z',
          source: { name: '\u001b[31mRED\u001b]0;pwned\u0007' },
          data: { title: 'T', parties: ['A'] },
        },
      ],
    };
    expect(refusedFields(body)).toEqual(['events/0/source/name']);
  });

  it('refuses any such character in any string field of any event type, naming the field; prose keeps tab and newline', () => {
    const seen = new Map<EventType, Set<string>>(eventTypes.map((t) => [t, new Set()]));
    fc.assert(
      fc.property(
        fc.constantFrom(...eventTypes).chain((type) => fc.tuple(fc.constant(type), eventOf(type))),
        fc.array(fc.tuple(fc.constantFrom(...alwaysRefused, ...proseOnly), fc.nat()), { minLength: 1, maxLength: 3 }),
        ([type, event], insertions) => {
          expect(refusedFields({ events: [event] })).toEqual([]);
          // Every string leaf in turn, each with one of the drawn characters at a drawn offset.
          stringLeaves(event).forEach((leaf, n) => {
            const [char, offset] = insertions[n % insertions.length] as [string, number];
            const at = offset % (leaf.value.length + 1);
            const mutated = withLeaf(event, leaf.path, `${leaf.value.slice(0, at)}${char}${leaf.value.slice(at)}`);
            const field = leaf.path.join('/');
            // Array items and a record's entries (participantKinds) as `*`, as the document has them.
            const inRecord = (i: number) => leaf.path[i - 1] === 'participantKinds';
            seen.get(type)?.add(leaf.path.map((p, i) => (typeof p === 'number' || inRecord(i) ? '*' : p)).join('/'));
            const allowed = proseOnly.includes(char) && proseFields.has(String(leaf.path.at(-1)));
            const code = char.charCodeAt(0).toString(16);
            expect({ field, code, refused: refusedFields({ events: [mutated] }) }).toEqual({
              field,
              code,
              refused: allowed ? [] : [`events/0/${field}`],
            });
          });
        },
      ),
      { numRuns: 600 },
    );
    // Every documented string field was drawn (but the free record `corrected/data`, which is not one).
    const missed = eventTypes.flatMap((type) =>
      documentedStringFields(type)
        .filter((field) => !seen.get(type)?.has(field))
        .map((field) => `${type} ${field}`),
    );
    expect(missed).toEqual([]);
  });
});
