import fc from 'fast-check';
import { dataArbitraries, developmentTypes, envelopeArbitrary } from '../../unit/event-arbitraries.js';

/**
 * Generated bodies for POST /talks/{id}/events, each with what the server may answer.
 * Every one starts from a valid development, so a rejection is about the one thing the
 * generator broke rather than about some unrelated field.
 */
export interface HostileBody {
  label: string;
  body: Buffer;
  headers?: Record<string, string>;
  /** Statuses the server may answer; 5xx is never among them. */
  allowed: readonly number[];
  /** For a duplicated key: the field the problem must name. */
  duplicated?: string;
}

type Json = Record<string, unknown>;

/** Counterexamples print as their label, not as a quarter megabyte of byte values. */
export const labelled = <T extends HostileBody>(hostile: T): T =>
  Object.assign(hostile, {
    [fc.toStringMethod]: () => `${hostile.label} (${hostile.body.length} bytes: ${hostile.body.subarray(0, 120).toString('latin1')})`,
  });
const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
const anyOutcome = [200, 201, 400, 409, 413, 415, 422] as const;

export const validDevelopment: fc.Arbitrary<Json> = fc
  .constantFrom(...developmentTypes)
  .chain((type) => fc.tuple(fc.constant(type), dataArbitraries[type], envelopeArbitrary))
  .map(([type, data, envelope]) => ({ ...envelope, type, data }));

/** Values of every JSON type, including the ones schemas most often forget. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, '', ' ', [], {}, '2025-13-45T25:61:00Z', 'NaN', '__proto__', 'progress.assessed', '$&', "$'", '$`'),
);

/** Wrong types, missing and extra fields, at the top level and inside `data`. */
export const mutatedEvent: fc.Arbitrary<HostileBody> = fc
  .tuple(validDevelopment, fc.constantFrom('drop', 'replace', 'add'), fc.boolean(), fc.string({ maxLength: 12 }), wrongValue)
  .map(([event, how, inData, extraKey, value]) => {
    const target = inData ? (event.data as Json) : event;
    const keys = Object.keys(target);
    const key = how === 'add' ? extraKey : (keys[extraKey.length % Math.max(keys.length, 1)] ?? 'type');
    if (how === 'drop') delete target[key];
    else target[key] = value;
    return { label: `${how} ${inData ? 'data.' : ''}${key}`, body: text(event), allowed: anyOutcome };
  });

/** Batches of the wrong shape or size. */
export const oddBatch: fc.Arbitrary<HostileBody> = fc
  .oneof(
    fc.array(validDevelopment, { minLength: 26, maxLength: 30 }).map((events) => ({ events })),
    fc.constant({ events: [] }),
    fc.tuple(validDevelopment, wrongValue).map(([event, extra]) => ({ events: [event], extra })),
    wrongValue.map((events) => ({ events })),
    fc.array(wrongValue, { minLength: 1, maxLength: 3 }),
    wrongValue,
  )
  .map((body) => ({ label: `batch ${JSON.stringify(body).slice(0, 60)}`, body: text(body), allowed: anyOutcome }));

/** Unicode that tends to break storage or hashing: the event may be accepted, never mangled. */
const oddString = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\u0007\u001b[31m',
    '\ud800',
    'x\udfff',
    '\u202eevil',
    '\ufeffBOM',
    'e\u0301',
    '\u2028\u2029',
    '👨‍👩‍👧‍👦',
    'Z̷̢̛a̸l̵g̶o',
    '\uffff',
    '\u{10ffff}',
    '%00',
    '../../etc',
    '<script>',
  ),
);
export const oddUnicode: fc.Arbitrary<HostileBody> = fc.tuple(oddString, oddString).map(([by, summary]) => ({
  label: `unicode ${JSON.stringify(by)}`,
  body: text({
    type: 'progress.assessed',
    reportedAt: '2025-01-14T10:00:00Z',
    source: { name: summary },
    data: { assessment: 'stalled', by, summary },
  }),
  allowed: [201, 400],
}));

/** Numbers at and past the edges of the schema and of what DynamoDB can store. */
const edgeNumber = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '1e-130',
    '1e-131',
    '5e-324',
    '1e15',
    '1000000000000001',
    '1e126',
    '1e308',
    '1e309',
    '-1e309',
    '9007199254740993',
    '0.30000000000000004',
    '-1',
    '1.7976931348623157e308',
    '1E2',
    '2.5e-7',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: -5, max: 5 }).map((e) => `1e${e * 70}`),
);
export const edgeNumbers: fc.Arbitrary<HostileBody> = edgeNumber.map((n) => ({
  label: `number ${n}`,
  body: Buffer.from(
    `{"type":"figure.reported","reportedAt":"2025-01-14T10:00:00Z","source":{"name":"UN"},"data":{"metric":"aid_trucks","value":${n},"unit":"trucks","qualifier":"about","originator":"UN"}}`,
  ),
  allowed: [201, 400],
}));

/** A key repeated at some level, sometimes escaped so only unescaping shows it. */
export const duplicatedKey: fc.Arbitrary<HostileBody> = fc
  .tuple(validDevelopment, fc.boolean(), fc.boolean(), wrongValue)
  .map(([event, wantData, escaped, value]) => {
    const inData = wantData && Object.keys(event.data as Json).length > 0;
    const target = inData ? (event.data as Json) : event;
    const key = Object.keys(target)[0] ?? 'type';
    const written = escaped ? [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('') : key;
    // Replacer functions, not strings: a generated value holding `$&` or `$'` must be inserted
    // verbatim, not read as a replacement pattern (that once produced invalid JSON here).
    const inner = JSON.stringify(target).replace(/^\{/, () => `{"${written}":${JSON.stringify(value) ?? 'null'},`);
    const json = inData ? JSON.stringify({ ...event, data: '__DATA__' }).replace('"__DATA__"', () => inner) : inner;
    return {
      label: `duplicated ${inData ? 'data/' : ''}${key}`,
      body: text(json),
      allowed: [400],
      duplicated: inData ? `data/${key}` : key,
    };
  });

/** Nesting past the limit: arrays, objects or both, at the top or inside `data`. */
export const deepNesting: fc.Arbitrary<HostileBody> = fc
  .tuple(fc.integer({ min: 33, max: 60_000 }), fc.constantFrom('[', '{"a":', 'mixed'), fc.boolean())
  .map(([depth, open, inData]) => {
    const opener = (i: number) => (open === 'mixed' ? (i % 2 === 0 ? '[' : '{"a":') : open);
    const closer = (i: number) => (opener(i) === '[' ? ']' : '}');
    const nested =
      Array.from({ length: depth }, (_, i) => opener(i)).join('') +
      '0' +
      Array.from({ length: depth }, (_, i) => closer(depth - 1 - i)).join('');
    const body = inData
      ? `{"type":"talks.stalled","reportedAt":"2025-01-14T10:00:00Z","source":{"name":"X"},"data":{"reason":${nested}}}`
      : nested;
    return {
      label: `depth ${depth} ${open}${inData ? ' in data' : ''}`,
      body: Buffer.from(body),
      allowed: body.length > 256 * 1024 ? [413] : [400],
    };
  });

/** Bodies that are not UTF-8: random bytes, or a valid event with a broken sequence in it. */
const brokenSequence = fc.constantFrom([0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80]);
export const invalidUtf8: fc.Arbitrary<HostileBody> = fc.oneof(
  fc
    .uint8Array({ minLength: 1, maxLength: 200 })
    .filter((bytes) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return false;
      } catch {
        return true;
      }
    })
    .map((bytes) => ({ label: 'random bytes', body: Buffer.from(bytes), allowed: [400] })),
  brokenSequence.map((bytes) => {
    const [head, tail] = ['{"type":"talks.stalled","reportedAt":"2025-01-14T10:00:00Z","source":{"name":"', '"},"data":{}}'];
    return {
      label: `broken utf-8 ${bytes.join(',')}`,
      body: Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]),
      allowed: [400],
    };
  }),
);

/** Content types, charsets and encodings other than plain UTF-8 JSON. */
export const wrongMediaType: fc.Arbitrary<HostileBody> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonp',
        'json',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/xml',
        '*/*',
        '',
        'application/json',
        'Application/JSON; charset="UTF-8"',
        'application/merge-patch+json',
      ),
      fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
    ),
    fc.constantFrom(undefined, 'gzip', 'br', 'identity'),
  )
  .map(([type, encoding]) => ({
    label: `content-type ${JSON.stringify(type)} encoding ${encoding ?? 'none'}`,
    body: text({ type: 'talks.stalled', reportedAt: '2025-01-14T10:00:00Z', source: { name: 'X' }, data: {} }),
    headers: { 'content-type': type, ...(encoding === undefined ? {} : { 'content-encoding': encoding }) },
    allowed: [201, 415],
  }));

/** Bodies over the 256 KiB limit (413) and just under it with an over-long field (400). */
export const hugeBody: fc.Arbitrary<HostileBody> = fc.integer({ min: 200 * 1024, max: 900 * 1024 }).map((size) => ({
  label: `huge ${size}`,
  body: text({ type: 'talks.stalled', reportedAt: '2025-01-14T10:00:00Z', source: { name: 'X' }, data: { reason: 'x'.repeat(size) } }),
  allowed: size > 256 * 1024 - 200 ? [400, 413] : [400],
}));
