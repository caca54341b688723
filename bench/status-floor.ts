import { deflateRawSync } from 'node:zlib';
import { statusDictionary2 } from '../functions/store/status-dictionary.js';

/**
 * How small the status item could get with a perfect encoding of its structure, from what
 * no encoding can drop: the free text the API shows (deflated alone with the codec's own
 * dictionary, which knows the field's phrasing), the head hash's 32 bytes, and the item's
 * attributes outside the status (keys, version, write id, list key, the Merkle frontier).
 * Everything else (field names, enum values, times, numbers, the shape) is counted at zero,
 * so the floor is below what any real codec can reach.
 * It says whether a status item can be under 1 KB (2 write units in the append transaction
 * instead of 4) without showing less or storing less inline.
 */
export interface StatusFloor {
  itemBytes: number;
  /** The item's attributes other than the encoded status (names and values, by the size rules). */
  outsideStatusBytes: number;
  /** The largest of those, by name (bytes). */
  outsideStatus: { name: string; bytes: number }[];
  encodedStatusBytes: number;
  jsonChars: number;
  freeText: { strings: number; bytes: number; deflatedBytes: number };
  /** Times in the status (counted at zero bytes in the floor; the codec stores them by columns). */
  times: number;
  floorBytes: number;
}

const isoTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
/** Enum values and event types: the dictionary's vocabulary, counted at zero. */
const vocabulary = /^[a-z][a-z0-9_.]*$/;
const hex64 = /^[0-9a-f]{64}$/;

function leaves(value: unknown, strings: string[], counts: { times: number; hashes: number }) {
  if (typeof value === 'string') {
    if (isoTime.test(value)) counts.times++;
    else if (hex64.test(value)) counts.hashes++;
    else if (!vocabulary.test(value)) strings.push(value);
  } else if (Array.isArray(value)) for (const v of value) leaves(v, strings, counts);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) leaves(v, strings, counts);
}

export function statusFloor(
  status: unknown,
  topLevel: readonly { name: string; bytes: number }[],
  encodedAttribute = 'statusD',
): StatusFloor {
  const strings: string[] = [];
  const counts = { times: 0, hashes: 0 };
  leaves(status, strings, counts);
  const text = Buffer.from(strings.join('\n'), 'utf8');
  const deflatedBytes = deflateRawSync(text, { level: 9, dictionary: Buffer.from(statusDictionary2, 'utf8') }).length;
  const itemBytes = topLevel.reduce((sum, a) => sum + a.bytes, 0);
  const encoded = topLevel.find((a) => a.name === encodedAttribute)?.bytes ?? 0;
  const outside = topLevel.filter((a) => a.name !== encodedAttribute).sort((a, b) => b.bytes - a.bytes);
  const outsideStatusBytes = itemBytes - encoded;
  return {
    itemBytes,
    outsideStatusBytes,
    outsideStatus: outside,
    encodedStatusBytes: encoded,
    jsonChars: JSON.stringify(status).length,
    freeText: { strings: strings.length, bytes: text.length, deflatedBytes },
    times: counts.times,
    floorBytes: outsideStatusBytes + deflatedBytes + 32 * counts.hashes,
  };
}
