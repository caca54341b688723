import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { statusDictionary1, statusDictionary2 } from '../../functions/store/status-dictionary.js';
import { packedDictionaryLengths, statusDictionaries } from '../../functions/store/status-dictionary-pack.js';

/**
 * The functions carry the frozen dictionaries packed (status-dictionary-pack.ts): they must be
 * the readable ones byte for byte, or every stored status would read as garbage or not at all.
 */
describe('the packed status dictionaries', () => {
  it('inflate to exactly the frozen dictionaries of status-dictionary.ts', () => {
    const readable = [statusDictionary1, statusDictionary2].map((d) => Buffer.from(d, 'utf8'));
    const fresh = deflateRawSync(Buffer.concat(readable), { level: 9 }).toString('base64');
    expect(packedDictionaryLengths, `lengths: ${readable.map((d) => d.length)}`).toEqual(readable.map((d) => d.length));
    const [one, two] = statusDictionaries();
    // On failure, this is the pack to paste into status-dictionary-pack.ts.
    expect(Buffer.compare(one, readable[0]!), `pack: ${fresh}`).toBe(0);
    expect(Buffer.compare(two, readable[1]!), `pack: ${fresh}`).toBe(0);
    expect(statusDictionaries()[0]).toBe(one);
  });
});
