import { describe, expect, it } from 'vitest';
import { canonicalJson, genesisHash, hashEvent, sha256Hex, verifyEventHash } from '../../functions/domain/hash-chain.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { opened, storeAll, submitted } from '../support/event-builders.js';
import { exampleData } from './example-data.js';

const log = storeAll('gaza-ceasefire-2025', [
  opened(),
  submitted('figure.reported', exampleData['figure.reported'], {
    occurredAt: '2025-01-13T00:00:00Z',
    source: { name: 'NBC News', attribution: 'Local health officials' },
  }),
  submitted('statement.issued', exampleData['statement.issued']),
]);
const figure = log[1] as StoredEvent;

/** A changed copy of a stored value: strings get a character, numbers grow, booleans flip. */
function tampered(value: unknown): unknown {
  if (typeof value === 'string') return `${value}x`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return [...value, 'x'];
  return { ...(value as object), tampered: true };
}

describe('the hash chain', () => {
  it('starts from the genesis hash', () => {
    expect(log[0]?.prevHash).toBe(genesisHash);
    expect(genesisHash).toMatch(/^0{64}$/);
  });

  it('links each event to the hash of the one before', () => {
    for (let i = 1; i < log.length; i += 1) expect(log[i]?.prevHash).toBe(log[i - 1]?.hash);
    expect(new Set(log.map((e) => e.hash)).size).toBe(log.length);
  });

  it('verifies every untouched event', () => {
    for (const event of log) expect(verifyEventHash(event)).toBe(true);
  });

  it('hashes the previous hash followed by the canonical JSON of the event without its hash', () => {
    const { hash, ...rest } = figure;
    expect(hash).toBe(sha256Hex(rest.prevHash + canonicalJson(rest)));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(Object.keys(figure))('breaks when the stored %s changes', (field) => {
    const changed = { ...figure, [field]: tampered(figure[field as keyof StoredEvent]) };
    expect(verifyEventHash(changed)).toBe(false);
  });

  it.each([
    ['a figure value', (e: StoredEvent) => ({ ...e, data: { ...e.data, value: 46501 } })],
    ['a source attribution', (e: StoredEvent) => ({ ...e, source: { ...e.source, attribution: 'Israel' } })],
    ['an added field', (e: StoredEvent) => ({ ...e, note: 'inserted later' })],
    ['a removed field', ({ occurredAt, ...e }: StoredEvent) => e],
  ])('breaks when %s changes inside the event', (_, change) => {
    expect(verifyEventHash(change(figure) as StoredEvent)).toBe(false);
  });

  it('shows an edit of an earlier event in the next one, even when the edited event is re-hashed', () => {
    const { hash, ...rest } = figure;
    const rewritten = { ...rest, data: { ...rest.data, value: 10 } };
    const rehashed = { ...rewritten, hash: hashEvent(rewritten) };
    expect(verifyEventHash(rehashed)).toBe(true);
    expect(log[2]?.prevHash).not.toBe(rehashed.hash);
  });

  it('does not depend on key order', () => {
    const { hash, ...rest } = figure;
    const reversed = Object.fromEntries(
      Object.entries(rest)
        .reverse()
        .map(([k, v]) => [
          k,
          v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ]),
    );
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(rest));
    expect(hashEvent(reversed as typeof rest)).toBe(hash);
    expect(canonicalJson(reversed)).toBe(canonicalJson(rest));
  });
});

describe('canonical JSON (RFC 8785)', () => {
  it('serialises the RFC 8785 example (section 3.2.2) to its expected bytes', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by their UTF-16 code units (section 3.2.3)', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    const order = [...canonicalJson(input).matchAll(/":"([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('refuses a value that has no JSON form', () => {
    expect(() => canonicalJson(undefined)).toThrow();
  });
});
