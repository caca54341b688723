import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../../functions/controllers/append-events-controller.js';
import { eventTypes } from '../../functions/domain/event-catalog.js';
import { valueProblem } from '../../functions/http/json-guard.js';
import { buildOpenApiDocument } from '../../functions/http/openapi-document.js';
import { componentValidators, describeErrors } from '../support/openapi-ajv.js';

/**
 * What the document says is a valid request, the server accepts: events drawn from the
 * document's own JSON Schemas (with values at and beyond their edges: blank and control
 * text, tiny and huge numbers, missing optional fields), kept when ajv says the document
 * allows them, must pass the body guards and the event schemas the append controller runs.
 * One rule the document states in words only (occurredAt no later than reportedAt plus its
 * window: JSON Schema cannot compare two fields' times) is kept by dropping such an occurredAt.
 */
type Json = Record<string, unknown>;
const document = buildOpenApiDocument({ readsPublic: true });
const schemas = (document.components as { schemas: Record<string, Json> }).schemas;
const validatorOf = componentValidators(document);
const leafAjv = new Ajv2020({ strict: false });
addFormats.default(leafAjv);
const leafValid = (schema: Json) => leafAjv.compile(schema);

// The last one is year 10000 once in UTC: the document refuses it as the server does, so a
// drawn event holding it is dropped by the whole-event check (openapi-time-bounds.unit.spec.ts).
const times = ['2025-01-03T10:00:00Z', '2025-01-04T12:00:00+02:00', '2025-01-05T00:00:00.000Z', '9999-12-31T23:59:59-23:59'];
const textCandidates = fc.oneof(
  fc.constantFrom(
    'Reuters',
    ' Padded ',
    ' ',
    '',
    '\t',
    'two\nlines',
    'crlf\r\nline',
    'a\u001b[31m',
    'x\u0085',
    'bidi\u202e',
    'emoji 😀',
    'lone \ud800',
  ),
  fc.string({ maxLength: 12 }),
);

function arbitraryOf(schema: Json): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return arbitraryOf(schemas[schema.$ref.split('/').at(-1) as string] as Json);
  if (Array.isArray(schema.anyOf) && schema.type === undefined && schema.properties === undefined)
    return fc.oneof(...(schema.anyOf as Json[]).map(arbitraryOf));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string': {
      const base =
        schema.format === 'date-time'
          ? fc.constantFrom(...times)
          : schema.format === 'date'
            ? fc.constantFrom('2025-01-04', '2025-02-29', '0000-01-01')
            : schema.format === 'uuid'
              ? fc.oneof(
                  fc.uuid(),
                  fc.uuid().map((u) => u.toUpperCase()),
                )
              : schema.format === 'uri'
                ? fc.constantFrom('https://example.org/a', 'http://x.test/', 'ftp://x.test/', 'https://a.test/\u001b')
                : typeof schema.pattern === 'string'
                  ? fc.stringMatching(new RegExp(schema.pattern))
                  : textCandidates;
      // A leaf compiles alone: the time bound's $ref resolves only in the whole document.
      const { not: _bound, ...leaf } = schema;
      const valid = leafValid(leaf);
      return base.filter((s) => valid(s));
    }
    case 'number': {
      const valid = leafValid(schema);
      return fc
        .oneof(fc.double({ min: -1e20, max: 1e20, noNaN: true }), fc.constantFrom(0, -0, 1e-200, 5e-324, 1e-130, 1e15, 1e16))
        .filter((n) => valid(n));
    }
    case 'integer':
      return fc.integer({ min: Math.max(-1e6, Number(schema.minimum ?? -1e6)), max: Math.min(1e6, Number(schema.maximum ?? 1e6)) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryOf(schema.items as Json), {
        minLength: Number(schema.minItems ?? 0),
        maxLength: Math.min(3, Number(schema.maxItems ?? 3)),
      });
    case 'object': {
      if (schema.properties === undefined) {
        // A free record (a correction's data) is checked against its target's schema, not the document's.
        const free = Object.keys((schema.additionalProperties ?? {}) as Json).length === 0;
        if (schema.propertyNames === undefined || free) return fc.constant({});
        return fc.dictionary(
          arbitraryOf(schema.propertyNames as Json) as fc.Arbitrary<string>,
          arbitraryOf(schema.additionalProperties as Json),
          {
            maxKeys: 2,
          },
        );
      }
      const properties = Object.fromEntries(Object.entries(schema.properties as Record<string, Json>).map(([k, v]) => [k, arbitraryOf(v)]));
      return fc.record(properties, { requiredKeys: (schema.required as string[] | undefined) ?? [] });
    }
    default:
      throw new Error(`no arbitrary for ${JSON.stringify(schema).slice(0, 200)}`);
  }
}

const pascal = (type: string) =>
  type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

const plausible = (event: Json): Json => {
  if (typeof event.occurredAt !== 'string' || Date.parse(event.occurredAt) <= Date.parse(String(event.reportedAt))) return event;
  const { occurredAt: _, ...rest } = event;
  return rest;
};

describe('the OpenAPI request schemas are as strict as the server', () => {
  it.each(eventTypes)('a %s event the document allows is accepted', (type) => {
    const id = `${pascal(type)}Event`;
    const validate = validatorOf(id);
    const events = arbitraryOf(schemas[id] as Json)
      .map((e) => plausible(e as Json))
      .filter((e) => validate(e));
    fc.assert(
      fc.property(events, (event) => {
        expect(valueProblem(event)).toBeUndefined();
        expect(() => parseSubmission({ events: [event] })).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });

  it('the time-travel parameters say they exclude each other (OpenAPI cannot express it)', () => {
    const parameters = (document.paths as Record<string, { get: { parameters: Json[] } }>)['/talks/{talksId}']?.get.parameters ?? [];
    for (const name of ['asOf', 'atVersion', 'validAt'])
      expect(parameters.find((p) => p.name === name)?.description).toContain('At most one of asOf, atVersion and validAt');
  });

  it('the document refuses what the server refuses in the cases it now states', () => {
    const figure = validatorOf('FigureReportedData');
    const base = { metric: 'killed', unit: 'people', qualifier: 'about', originator: 'UN' };
    expect(figure(base)).toBe(false);
    expect(figure({ ...base, best: 3 })).toBe(true);
    expect(figure({ ...base, value: 1e-200 })).toBe(false);
    const corrected = validatorOf('ReportCorrectedData');
    expect(corrected({ targetVersion: 1, corrected: {}, reason: 'x', issuedBy: 'editor' })).toBe(false);
    expect(validatorOf('Source')({ name: '\u001b[31mRED' }) ? [] : describeErrors(validatorOf('Source'))).not.toEqual([]);
    // The body guard refuses a `__proto__` key anywhere; a record's keys say so in the document.
    const opened = validatorOf('TalksOpenedEvent');
    const event = {
      type: 'talks.opened',
      reportedAt: times[0],
      source: { name: 'Reuters' },
      data: { title: 'T', parties: ['A', 'B'], participantKinds: { A: 'state' } },
    };
    const reserved = JSON.parse(JSON.stringify(event).replace('"participantKinds":{"A"', '"participantKinds":{"__proto__"'));
    expect(opened(event) ? [] : describeErrors(opened)).toEqual([]);
    expect(valueProblem(reserved)).toMatchObject({ message: 'reserved key' });
    expect(opened(reserved)).toBe(false);
  });
});
