import fc from 'fast-check';

/** A generated request line and headers, for routes, query strings and headers. */
export interface HostileRequest {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export const labelledRequest = (request: HostileRequest): HostileRequest =>
  Object.assign(request, { [fc.toStringMethod]: () => `${request.label}: ${request.method} ${request.path.slice(0, 200)}` });

/** A development that is valid for an open talks: only the path or headers can make it fail. */
export const validBody = JSON.stringify({
  type: 'progress.assessed',
  reportedAt: '2025-01-14T10:00:00Z',
  source: { name: 'AP' },
  data: { assessment: 'stalled', by: 'A mediator' },
});

/** talksId segments that try to escape the segment, the charset, or the length limit. */
const talksIdTrick = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2E',
    '%2F',
    'a%2Fb',
    '..%2F..%2Fetc',
    '%2e%2e%2f',
    '%00',
    'a%00',
    '%23',
    'a#b',
    '%3F',
    '?x=1',
    '%25',
    '%',
    '%ZZ',
    '%C0%AF',
    '%E2%80%AE',
    '%F0%9F%98%80',
    'x%20',
    '%20',
    '-a',
    '_a',
    'a.',
    'event%23x',
    'TRUST',
    'a;b',
    'a,b',
    '%2525',
  ),
  fc.integer({ min: 129, max: 9000 }).map((n) => 'a'.repeat(n)),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);

const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');

/** Path tricks on every route shape, with and without a body and a token. */
export const pathTrick = (token: string, knownId: string): fc.Arbitrary<HostileRequest> =>
  fc
    .tuple(
      fc.oneof(talksIdTrick, fc.constant(knownId)),
      fc.constantFrom('', '/events', '/audit', '/events/x', '/', '//events'),
      method,
      fc.boolean(),
    )
    .map(([id, suffix, verb, withToken]) => ({
      label: `path ${id.slice(0, 40)}${suffix}`,
      method: verb,
      path: `/talks/${id}${suffix}`,
      headers: { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) },
      ...(verb === 'GET' || verb === 'OPTIONS' ? {} : { body: validBody }),
    }));

/** Paths that are not routes at all. */
export const strayPath: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(
      '/',
      '//',
      '/talks/',
      '/TALKS',
      '/talks%2F',
      '/talks/%2e%2e/events',
      '/../talks',
      '/talks/a/b/c/d',
      '/.env',
      '/%',
      '/openapi.json/x',
      '/talks;x=1',
    ),
    method,
  )
  .map(([path, verb]) => ({ label: `stray ${path}`, method: verb, path }));

const edgeInt = fc.constantFrom(
  '0',
  '-1',
  '1',
  '1000',
  '1001',
  '100',
  '101',
  '9007199254740991',
  '9007199254740992',
  '99999999999999999999',
  '1.5',
  '1e3',
  ' 1',
  '1 ',
  '0x10',
  'NaN',
  'Infinity',
  '',
  '+1',
  '01',
  '1,2',
);
const oddValue = fc.oneof(
  edgeInt,
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.integer({ min: 2100, max: 6000 }).map((n) => 'z'.repeat(n)),
);

/** A cursor that decodes to JSON shaped like (or nearly like) the real key. */
const craftedCursor = fc
  .record(
    {
      listPk: fc.constantFrom('talks', '', 'x'),
      activityKey: fc.oneof(fc.constantFrom('', '2025-01-01T00:00:00.000Z#a', 'z'.repeat(1500)), fc.string({ maxLength: 40 })),
      pk: fc.oneof(fc.constantFrom('', 'fuzz', 'event#x', 'p'.repeat(2100)), fc.string({ maxLength: 40 })),
      sk: fc.oneof(fc.constant(0), fc.constant(-1), fc.constant('0'), fc.double()),
    },
    { requiredKeys: [] },
  )
  .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url'));

const queryKey = fc.oneof(
  fc.constantFrom(
    'limit',
    'cursor',
    'after',
    'types',
    'asOf',
    'atVersion',
    'validAt',
    'expectHead',
    'LIMIT',
    'limit[]',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 10 }),
);
const queryValue = fc.oneof(
  oddValue,
  craftedCursor,
  fc.constantFrom(
    'talks.opened',
    'talks.opened,nope',
    ',,,',
    'progress.assessed,'.repeat(30),
    '2025-01-01T00:00:00Z',
    'yesterday',
    `2:${'0'.repeat(64)}`,
    `999999999999999:${'a'.repeat(64)}`,
    '1:xyz',
  ),
);

/** Bad, repeated and unknown query parameters on every GET route (with a token, for audit). */
export const queryTrick = (token: string, knownId: string): fc.Arbitrary<HostileRequest> =>
  fc
    .tuple(
      fc.constantFrom('/talks', `/talks/${knownId}`, `/talks/${knownId}/events`, `/talks/${knownId}/audit`),
      fc.array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 4 }),
    )
    .map(([path, pairs]) => {
      const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      return {
        label: `query ${query.slice(0, 80)}`,
        method: 'GET',
        path: `${path}?${query}`,
        headers: { authorization: `Bearer ${token}` },
      };
    });

/** If-Match and If-None-Match values, and Authorization headers, that are wrong. */
export const headerTrick = (token: string, knownId: string): fc.Arbitrary<HostileRequest> =>
  fc.oneof(
    fc
      .oneof(
        fc.constantFrom(
          '*',
          '"-1"',
          '"1.5"',
          '"99999999999999999999"',
          '999999999999999',
          'W/"x"',
          '"1", "2"',
          '""',
          '"',
          'null',
          '"0"',
          '"\u00e9"',
          '"1"junk',
        ),
        fc.string({ maxLength: 20 }),
      )
      .map((value) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, ''))
      .map((value) => ({
        label: `if-match ${value}`,
        method: 'POST',
        path: `/talks/${knownId}/events`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'if-match': value },
        body: validBody,
      })),
    fc
      .string({ maxLength: 40 })
      .map((value) => value.replace(/[^\t\x20-\x7e]/g, ''))
      .map((value) => ({ label: `if-none-match ${value}`, method: 'GET', path: `/talks/${knownId}`, headers: { 'if-none-match': value } })),
    fc
      .oneof(
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'bearer x.y.z',
          'Basic dXNlcjpwYXNz',
          `Bearer ${token}x`,
          `Bearer ${token} ${token}`,
          `Bearer ${token.split('.').slice(0, 2).join('.')}.`,
          'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        ),
        fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
      )
      .map((value) => value.replace(/[^\t\x20-\x7e]/g, ''))
      .map((value) => ({
        label: `authorization ${value.slice(0, 50)}`,
        method: 'POST',
        path: `/talks/${knownId}/events`,
        headers: { 'content-type': 'application/json', authorization: value },
        body: validBody,
      })),
  );

/** Requests node's own HTTP client refuses to write: sent as raw bytes. */
export const malformedBytes: fc.Arbitrary<{ label: string; bytes: Buffer }> = fc
  .oneof(
    fc.constantFrom(
      'GET /talks\u0000 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /talks/a\u0007b HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /talks HTTP/9.9\r\nHost: x\r\n\r\n',
      'FOO /talks HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /talks HTTP/1.1\r\nBad Header\r\n\r\n',
      'GET /talks HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n',
      'POST /talks/a/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /talks/a/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'POST /talks/a/events HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'GET /talks/a b HTTP/1.1\r\nHost: x\r\n\r\n',
    ),
    fc.integer({ min: 17, max: 40 }).map((kb) => `GET /talks HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(kb * 1024)}\r\n\r\n`),
    // Without CR or LF: a request cut short would only wait for the rest of it.
    fc
      .string({ unit: 'binary-ascii', minLength: 1, maxLength: 30 })
      .map((junk) => `GET /talks/${junk.replace(/[\r\n]/g, '')} HTTP/1.1\r\nHost: x\r\n\r\n`),
  )
  .map((text) => ({ label: JSON.stringify(text.slice(0, 80)), bytes: Buffer.from(text, 'latin1') }));
