import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byValidTime, inValidTimeOrder, withInOrder } from '../../functions/domain/valid-time-order.js';

/**
 * The fold inserts into its dated lists by a scan instead of sorting them again: the result
 * must be exactly what the stable sort of the list with the entry appended gives, for lists
 * in order and out of order, with ties in time and in version.
 */
const dated = fc.record({
  at: fc.constantFrom('2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-02T12:00:00.000Z', '2025-01-03T00:00:00.000Z'),
  version: fc.integer({ min: 1, max: 6 }),
  tag: fc.integer(),
});

describe('withInOrder', () => {
  it('gives the stable sort of the list with the entry appended, and leaves the list as it was', () => {
    fc.assert(
      fc.property(fc.array(dated, { maxLength: 25 }), fc.boolean(), dated, (drawn, sortFirst, entry) => {
        const list = sortFirst ? [...drawn].sort(byValidTime) : drawn;
        const before = JSON.stringify(list);
        const result = withInOrder(list, entry);
        expect(result).toStrictEqual([...list, entry].sort(byValidTime));
        expect(result).not.toBe(list);
        expect(JSON.stringify(list)).toBe(before);
      }),
      { numRuns: 2000 },
    );
  });

  it('tells a list in order from one out of order', () => {
    fc.assert(
      fc.property(fc.array(dated, { maxLength: 10 }), (list) => {
        expect(inValidTimeOrder(list)).toBe(JSON.stringify([...list].sort(byValidTime)) === JSON.stringify(list));
      }),
    );
  });
});
