import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { project } from '../../functions/domain/project.js';
import type { SubmittedEvent } from '../../functions/domain/submitted-event.js';
import { freezeDeep, fromColumnar, NotColumnarError, toColumnar } from '../../functions/store/columnar-json.js';
import {
  decodeStatus,
  encodeStatus,
  fromSnapshotRecord,
  fromStatusRecord,
  toSnapshotRecord,
  toStatusRecord,
} from '../../functions/store/status-codec.js';
import { statusDictionary1, statusDictionary2 } from '../../functions/store/status-dictionary.js';
import { opened, storeAll, submitted } from '../support/event-builders.js';
import { dataArbitraries, developmentTypes, envelopeArbitrary } from './event-arbitraries.js';
import { talksId } from './given.js';

/**
 * Status codec 2 (columns, then deflate with dictionary 2) gives back the very JSON it was
 * given, on arbitrary folded statuses and on arbitrary JSON, including JSON built to look
 * like its own markers; what it cannot carry goes to codec 1, never to a wrong read.
 */
const development = fc
  .constantFrom(...developmentTypes)
  .chain((type) => fc.tuple(fc.constant(type), dataArbitraries[type], envelopeArbitrary))
  .map(([type, data, envelope]) => submitted(type, data, envelope));
const statusArbitrary = fc
  .tuple(fc.tuple(dataArbitraries['talks.opened'], envelopeArbitrary), fc.array(development, { minLength: 0, maxLength: 60 }))
  .map(([[data, envelope], rest]) =>
    project(talksId, storeAll(talksId, [submitted('talks.opened', data, envelope), ...(rest as SubmittedEvent[])])),
  );

/** Strings and arrays that read like the columns' markers, mixed into arbitrary JSON. */
const markerLike = fc.constantFrom('~c', '~d', '~t', '~r', '~-', '~', '2025-01-13T00:00:00.000Z', 'ab'.repeat(32));
const trickyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    markerLike,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.dictionary(fc.constantFrom('a', 'b', 'version', 'at', '__proto__'), tie('value'), { maxKeys: 3 }), { maxLength: 4 }),
    fc.tuple(markerLike, tie('value')),
  ),
})).value;

const same = (a: unknown, b: unknown) => expect(JSON.stringify(a)).toBe(JSON.stringify(b));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const talksLog = fc
  .tuple(fc.tuple(dataArbitraries['talks.opened'], envelopeArbitrary), fc.array(development, { minLength: 1, maxLength: 40 }))
  .map(([[data, envelope], rest]) => storeAll(talksId, [submitted('talks.opened', data, envelope), ...(rest as SubmittedEvent[])]));

describe('status codec 2', () => {
  it('reads back every folded status byte for byte, and writes it with codec 2', () => {
    fc.assert(
      fc.property(statusArbitrary, (status) => {
        const record = toStatusRecord(status, 'w');
        expect(record.statusD[0]).toBe(2);
        same(fromStatusRecord(record).status, status);
        same(fromSnapshotRecord(toSnapshotRecord(status)), status);
      }),
      { numRuns: 150 },
    );
  });

  it('writes a talks folded one event at a time (frozen, sharing what did not change) as it writes fresh copies', () => {
    fc.assert(
      fc.property(talksLog, (log) => {
        let status: ReturnType<typeof project> | undefined;
        for (const event of log) {
          status = project(talksId, [event], status);
          // What a cold process writes: an unfrozen copy, nothing remembered from before.
          const cold = encodeStatus(structuredClone(status));
          const record = toStatusRecord(status, 'w');
          expect(Object.isFrozen(status) && Object.isFrozen(status.meetings)).toBe(true);
          expect(hex(record.statusD)).toBe(hex(cold));
          expect(hex(toSnapshotRecord(status).statusD)).toBe(hex(cold));
          same(decodeStatus({ statusD: record.statusD }), status);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives an append back the status it wrote only for the very bytes it wrote', () => {
    const first = project(talksId, storeAll(talksId, [opened()]));
    const record = toStatusRecord(first, 'w1');
    expect(fromStatusRecord(record, true).status).toBe(first);
    // Without asking, and from other bytes (another writer's status), it is decoded.
    const read = fromStatusRecord(record).status;
    expect(read).not.toBe(first);
    expect(Object.isFrozen(read)).toBe(false);
    same(read, first);
    const other = toStatusRecord(
      project(
        talksId,
        storeAll(talksId, [opened(), submitted('meeting.held', { participants: ['Joe Biden', 'Benjamin Netanyahu'], kind: 'call' })]),
      ),
      'w2',
    );
    const mine = toStatusRecord(first, 'w3');
    const foreign = fromStatusRecord({ ...mine, statusD: other.statusD }, true).status;
    expect(foreign.version).toBe(2);
    expect(fromStatusRecord(mine, true).status).toBe(first);
  });

  it('keeps codec 1 for a frozen status codec 2 cannot carry, its unchanged parts proven before', () => {
    const log = storeAll(talksId, [
      opened(),
      submitted('meeting.held', { participants: ['Joe Biden', 'Benjamin Netanyahu'], kind: 'call' }),
    ]);
    const before = project(talksId, log.slice(0, 1));
    expect(toStatusRecord(before, 'w').statusD[0]).toBe(2);
    const marked = freezeDeep({ ...before, title: '~-' });
    const bytes = encodeStatus(marked);
    expect(bytes[0]).toBe(1);
    same(decodeStatus({ statusD: bytes }), marked);
  });

  it('rewrites values that are not plain JSON as it rewrites their JSON', () => {
    const value = { a: undefined, b: -0, c: new Date(0), d: [undefined, 1], e: { toJSON: () => 'e' }, f: [{ g: undefined, h: 1 }] };
    same(toColumnar(value), toColumnar(JSON.parse(JSON.stringify(value))));
    same(decodeStatus({ statusD: encodeStatus(value) }), value);
  });

  it('reads back arbitrary JSON, markers and all, by codec 2 or else codec 1', () => {
    fc.assert(
      fc.property(trickyJson, (value) => {
        same(decodeStatus({ statusD: encodeStatus(value) }), value);
      }),
      { numRuns: 500 },
    );
  });

  it('rewrites by columns losslessly, or refuses input its markers would make ambiguous', () => {
    fc.assert(
      fc.property(trickyJson, (value) => {
        let columns: unknown;
        try {
          columns = toColumnar(value);
        } catch (error) {
          expect(error).toBeInstanceOf(NotColumnarError);
          return;
        }
        same(fromColumnar(JSON.parse(JSON.stringify(columns))), value);
        // Frozen (its rewrite remembered) or not, the same columns.
        const frozen = freezeDeep(structuredClone(value));
        same(toColumnar(frozen), columns);
        same(toColumnar(frozen), columns);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps codec 1 for a status codec 2 cannot carry, and still reads it exactly', () => {
    const status = project(talksId, storeAll(talksId, [submitted('talks.opened', { title: '~-', parties: ['Israel', 'Hamas'] })]));
    const bytes = encodeStatus(status);
    expect(bytes[0]).toBe(1);
    same(decodeStatus({ statusD: bytes }), status);
  });

  it('reads items written with codec 1 before codec 2', () => {
    fc.assert(
      fc.property(statusArbitrary, (status) => {
        const codec1 = Buffer.concat([
          Uint8Array.of(1),
          deflateRawSync(Buffer.from(JSON.stringify(status)), { level: 9, dictionary: Buffer.from(statusDictionary1) }),
        ]);
        same(decodeStatus({ statusD: codec1 }), status);
      }),
      { numRuns: 30 },
    );
  });

  it('stores the head hash as its 32 bytes, outside the deflated text', () => {
    const status = project(talksId, storeAll(talksId, [opened()]));
    const bytes = encodeStatus(status);
    expect(bytes[1]).toBe(1);
    expect(Buffer.from(bytes.subarray(2, 34)).toString('hex')).toBe(status.headHash);
  });

  it('keeps dictionary 2 frozen: items written with codec 2 need its exact bytes', () => {
    expect(createHash('sha256').update(statusDictionary2, 'utf8').digest('hex')).toBe(
      'd8ea29799f6efa357360029faa53ec49a62907ddce2f6a8fc98cd9903811831d',
    );
  });
});
