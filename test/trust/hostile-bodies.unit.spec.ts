import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicatedKey } from './support/hostile-bodies.js';

/**
 * The fuzz suites trust their generators to break exactly one thing. A generator that breaks
 * something else (once: JSON syntax instead of key uniqueness, when a generated value held `$&`)
 * makes the server's correct answer look like a failure, so the generators are checked alone.
 */
const escapedForm = (key: string) => [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('hostile body generators', () => {
  it('a duplicated-key body is valid JSON syntax with the named key written twice', () => {
    fc.assert(
      fc.property(duplicatedKey, (hostile) => {
        const json = hostile.body.toString('utf8');
        // JSON.parse keeps the last of duplicated keys, so a body that only duplicates must parse.
        const parsed = JSON.parse(json) as Record<string, unknown>;
        const path = hostile.duplicated!.split('/');
        const key = path.at(-1)!;
        const holder = path.length === 2 ? (parsed[path[0]!] as Record<string, unknown>) : parsed;
        expect(holder).toHaveProperty([key]);
        expect(occurrences(json, `"${key}":`) + occurrences(json, `"${escapedForm(key)}":`)).toBeGreaterThanOrEqual(2);
        expect(hostile.allowed).toEqual([400]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a value that looks like a replacement pattern is inserted verbatim', () => {
    const samples = fc.sample(duplicatedKey, { numRuns: 3_000, seed: 1836304103 });
    const withPattern = samples.filter((hostile) => /\$[&'`]/.test(hostile.body.toString('utf8')));
    expect(withPattern.length).toBeGreaterThan(0);
    for (const hostile of withPattern) expect(() => JSON.parse(hostile.body.toString('utf8'))).not.toThrow();
  });
});
