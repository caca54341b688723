import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attributeSizes } from '../../bench/capacity-rules.js';
import { writeUnitFloorNote } from '../../bench/report.js';
import { type StatusFloor, statusFloor } from '../../bench/status-floor.js';
import { project } from '../../functions/domain/project.js';
import { type SubmittedEvent, submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { toStatusRecord } from '../../functions/store/status-codec.js';
import { storeAll } from '../support/event-builders.js';

/**
 * The bench's floor for the status item (why 6.5 write units are out of reach) is only an
 * argument if it is a floor: below what the real codec stores, and counting only free text,
 * hashes and the attributes outside the status.
 */
const scenarioStatus = (name: string) => {
  const scenario = JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8')) as {
    talksId: string;
    events: unknown[];
  };
  return project(
    scenario.talksId,
    storeAll(
      scenario.talksId,
      scenario.events.map((e) => submittedEventSchema.parse(e) as SubmittedEvent),
    ),
  );
};

describe('the status item floor', () => {
  it('is below the item the codec stores, for both scenarios', () => {
    for (const name of ['ceasefire-talks-2025-01-13', 'truce-2023-11']) {
      const status = scenarioStatus(name);
      const record = toStatusRecord(status, 'w-0123456789abcdef');
      const floor = statusFloor(status, attributeSizes(record));
      expect(floor.itemBytes).toBe(attributeSizes(record).reduce((n, a) => n + a.bytes, 0));
      expect(floor.encodedStatusBytes).toBe(record.statusD.byteLength + 'statusD'.length);
      expect(floor.freeText.deflatedBytes).toBeGreaterThan(100);
      expect(floor.floorBytes).toBeLessThan(floor.itemBytes);
      expect(floor.floorBytes).toBe(floor.outsideStatusBytes + floor.freeText.deflatedBytes + 32);
    }
  });

  it('counts free text, not times, hashes or enum values', () => {
    const status = {
      headHash: 'ab'.repeat(32),
      phase: 'implementation',
      updatedAt: '2025-01-15T12:00:00.000Z',
      positions: [{ stance: 'cautious', summary: 'Mediators said the gaps had narrowed.' }],
    };
    const floor = statusFloor(status, [
      { name: 'statusD', bytes: 200 },
      { name: 'pk', bytes: 20 },
    ]);
    expect(floor.freeText).toMatchObject({ strings: 1, bytes: 'Mediators said the gaps had narrowed.'.length });
    expect(floor.times).toBe(1);
    expect(floor.outsideStatusBytes).toBe(20);
    expect(floor.floorBytes).toBe(20 + floor.freeText.deflatedBytes + 32);
  });

  it("makes the report say why the steady-state target is not met, with the run's figures", () => {
    const floorOf = (itemBytes: number, frontier: number, encoded: number, free: number): StatusFloor => ({
      itemBytes,
      outsideStatusBytes: itemBytes - encoded,
      outsideStatus: [{ name: 'frontier', bytes: frontier }],
      encodedStatusBytes: encoded,
      jsonChars: 5000,
      freeText: { strings: 40, bytes: 1400, deflatedBytes: free },
      times: 29,
      floorBytes: itemBytes - encoded + free + 32,
    });
    const results = (status: number, floors: StatusFloor[]) =>
      ({
        append: {
          capacity: {
            windows: [
              {
                label: 'single events, last 100 (steady state)',
                computedPerEvent: 4 + status + 0.07,
                indexPerEvent: 0.04,
                breakdownPerEvent: { events: 2, idempotency: 2, status, snapshot: 0.07 },
                statusBytes: { first: 1500, last: 1630 },
              },
            ],
          },
        },
        itemSizes: { status: floors.map((floor, i) => ({ label: `history ${i}`, floor })) },
      }) as unknown as Parameters<typeof writeUnitFloorNote>[0];
    const over = writeUnitFloorNote(results(4, [floorOf(1411, 72, 1190, 629), floorOf(1642, 200, 1295, 710)]));
    expect(over).toContain('not met: 8.11');
    expect(over).toContain('would be 6.11');
    expect(over).toContain('On the longest history the floor is 1,089 B: over 1 KB');
    expect(over).toContain('in 135 B');
    expect(writeUnitFloorNote(results(2, [floorOf(900, 72, 700, 500)]))).toContain('met: 6.11.');
  });
});
