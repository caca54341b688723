import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorableNumber, maxJsonDepth, structureProblem, valueProblem } from '../../functions/http/json-guard.js';
import { jsonBody } from '../../functions/http/request-parsing.js';
import { decodeCursor, encodeCursor } from '../../functions/store/list-talks.js';
import { httpEvent } from '../../harness/http-event.js';

/** The body checks JSON.parse does not make, one behaviour each. */
const post = (rawBody: string, headers: Record<string, string> = {}) =>
  httpEvent({ method: 'POST', path: '/talks/a/events', rawBody, headers: { 'content-type': 'application/json', ...headers } });
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { status: number; fields?: { field: string; message: string }[] };
  }
  throw new Error('accepted');
};

describe('duplicated keys', () => {
  it('are refused, naming the key and where it is', () => {
    expect(structureProblem('{"a":1,"a":2}')).toEqual({ field: 'a', message: 'duplicated key "a"' });
    expect(structureProblem('{"events":[{"data":{"x":1}},{"data":{"x":1,"y":[{}],"x":2}}]}')).toEqual({
      field: 'events/1/data/x',
      message: 'duplicated key "x"',
    });
  });

  it('are found after unescaping, and not inside strings', () => {
    expect(structureProblem('{"by":1,"\\u0062y":2}')?.field).toBe('by');
    expect(structureProblem('{"a":"{\\"a\\":1,\\"a\\":2}","b":"[\\"}"}')).toBeUndefined();
  });

  it('are the same key only within one object', () => {
    expect(structureProblem('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}')).toBeUndefined();
  });

  it('agree with a reference: a key set per object, over random JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, duplicate) => {
        const text = JSON.stringify(value);
        const mutated = duplicate ? text.replace(/\{"([^"\\]*)":/, '{"$1":null,"$1":') : text;
        const expectDuplicate = duplicate && mutated !== text;
        expect(structureProblem(mutated)?.message.startsWith('duplicated key') ?? false).toBe(expectDuplicate);
      }),
    );
  });

  it('make jsonBody answer 400 with the field', () => {
    const error = refusal(() => jsonBody(post('{"type":"x","data":{"by":"a","by":"b"}}')));
    expect(error.status).toBe(400);
    expect(error.fields).toEqual([{ field: 'data/by', message: 'duplicated key "by"' }]);
  });
});

describe('nesting', () => {
  it(`allows ${maxJsonDepth} levels and refuses one more`, () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(structureProblem(nested(maxJsonDepth))).toBeUndefined();
    expect(structureProblem(nested(maxJsonDepth + 1))?.message).toContain('nested deeper');
    expect(refusal(() => jsonBody(post(nested(100_000)))).status).toBe(400);
  });
});

describe('values DynamoDB or the hash chain cannot keep', () => {
  it('refuses lone surrogates in values and keys, keeps proper pairs', () => {
    expect(valueProblem({ a: ['ok', 'x\ud800'] })?.field).toBe('a/1');
    expect(valueProblem({ 'k\udc00': 1 })?.message).toContain('surrogate');
    expect(valueProblem({ a: '😀 e\u0301 \u0000' })).toBeUndefined();
  });

  it('refuses numbers DynamoDB cannot store, and __proto__ keys', () => {
    for (const n of [0, -0, 1e-130, 1e125, -5, 0.1 + 0.2]) expect(isStorableNumber(n), String(n)).toBe(true);
    for (const n of [5e-324, 1e-131, 1e126, 1e308, -1e200]) expect(isStorableNumber(n), String(n)).toBe(false);
    expect(refusal(() => jsonBody(post('{"data":{"value":1e-200}}'))).fields?.[0]?.field).toBe('data/value');
    expect(refusal(() => jsonBody(post('{"data":{"__proto__":{"x":1}}}'))).fields?.[0]).toEqual({
      field: 'data/__proto__',
      message: 'reserved key',
    });
  });
});

describe('media type and encoding', () => {
  it('accepts JSON in UTF-8 only, uncompressed', () => {
    expect(jsonBody(post('{}', { 'content-type': 'application/problem+json; charset="UTF-8"' }))).toEqual({});
    expect(refusal(() => jsonBody(post('{}', { 'content-type': 'application/json; charset=utf-16' }))).status).toBe(415);
    expect(refusal(() => jsonBody(post('{}', { 'content-encoding': 'gzip' }))).status).toBe(415);
    expect(refusal(() => jsonBody(post('{}', { 'content-type': 'text/json' }))).status).toBe(415);
  });
});

describe('list cursors', () => {
  const real = { listPk: 'talks', activityKey: '2025-01-13T12:00:00.000Z#gaza-2025', pk: 'gaza-2025', sk: 0 };
  const forged = (patch: Record<string, unknown>) => encodeCursor({ ...real, ...patch });

  it('round-trips the keys the list route issues', () => {
    expect(decodeCursor(encodeCursor(real))).toEqual(real);
  });

  it('refuses forged keys DynamoDB would reject or misread', () => {
    const cases = [
      { activityKey: '' },
      { pk: '' },
      { pk: 'p'.repeat(2000) },
      { activityKey: `${'z'.repeat(1500)}#gaza-2025` },
      { activityKey: '2025-01-13T12:00:00.000Z#other' },
      { sk: '0' },
      { listPk: 'x' },
    ];
    for (const patch of cases) expect(refusal(() => decodeCursor(forged(patch))).status, JSON.stringify(patch).slice(0, 60)).toBe(400);
  });
});
