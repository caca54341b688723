import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { project } from '../../functions/domain/project.js';
import { type SubmittedEvent, submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { activityHourOf, activityKeyOf } from '../../functions/store/item-keys.js';
import { decodeStatus, encodeStatus, fromStatusRecord, toStatusRecord } from '../../functions/store/status-codec.js';
import { statusDictionary1 } from '../../functions/store/status-dictionary.js';
import { storeAll } from '../support/event-builders.js';

/**
 * The stored status: read back exactly (the API answers the same JSON, byte for byte),
 * whatever fields it holds, and items of the older layout stay readable.
 */
const scenarioStatus = (name: string) => {
  const scenario = JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8')) as {
    talksId: string;
    events: unknown[];
  };
  const events = scenario.events.map((e) => submittedEventSchema.parse(e) as SubmittedEvent);
  return project(scenario.talksId, storeAll(scenario.talksId, events));
};
const gaza = scenarioStatus('ceasefire-talks-2025-01-13');
const truce = scenarioStatus('truce-2023-11');

describe('the status codec', () => {
  it('reads back the same JSON, key order included, for both scenarios', () => {
    for (const status of [gaza, truce]) {
      const record = toStatusRecord(status, 'w1');
      expect(JSON.stringify(fromStatusRecord(record).status)).toBe(JSON.stringify(status));
    }
  });

  it('carries fields it does not know (a later Merkle frontier or checkpoint) as they are', () => {
    const extended = { ...gaza, merkle: { size: 18, frontier: ['ab'.repeat(32), 'cd'.repeat(32)] }, checkpoint: 'eyJ.x.y' };
    expect(JSON.stringify(decodeStatus({ statusD: encodeStatus(extended) }))).toBe(JSON.stringify(extended));
  });

  it('stores the scenario status in under 1.25 KB, about 0.7 of its gzipped size', () => {
    const gzipped = gzipSync(JSON.stringify(gaza)).byteLength;
    const stored = encodeStatus(gaza).byteLength;
    expect(stored).toBeLessThan(1280);
    expect(stored / gzipped).toBeLessThan(0.8);
  });

  it('reads the older layout: gzipped JSON in statusZ, with its summary copy', () => {
    const older = { pk: gaza.talksId, sk: 0, kind: 'status', version: gaza.version, writeId: 'w0', summary: { talksId: gaza.talksId } };
    const item = fromStatusRecord({ ...older, statusZ: gzipSync(Buffer.from(JSON.stringify(gaza))) });
    expect(JSON.stringify(item.status)).toBe(JSON.stringify(gaza));
    expect(item).not.toHaveProperty('summary');
    expect(item).not.toHaveProperty('statusZ');
  });

  it('refuses a codec it does not know rather than misreading it', () => {
    const bytes = encodeStatus(gaza);
    bytes[0] = 9;
    expect(() => decodeStatus({ statusD: bytes })).toThrow(/codec 9/);
    expect(() => decodeStatus({})).toThrow(/statusD or statusZ/);
  });

  it('keeps the preset dictionary frozen: items written with codec 1 need its exact bytes', () => {
    expect(createHash('sha256').update(statusDictionary1, 'utf8').digest('hex')).toBe(
      'd831a5ec36830626fb504a24aaf968c7114bb1ec3519438ed9816f7b03e3f497',
    );
  });
});

describe('the list index key', () => {
  it('is the hour of the last activity and the talks id, and groups with the older exact-time key', () => {
    expect(activityKeyOf('2025-01-13T09:41:07.123Z', 'gaza')).toBe('2025-01-13T09#gaza');
    expect(activityHourOf('2025-01-13T09:41:07.123Z#gaza')).toBe(activityHourOf(activityKeyOf('2025-01-13T09:05:00.000Z', 'gaza')));
    expect(activityKeyOf('2025-01-13T09:59:59.999Z', 'g')).toBe(activityKeyOf('2025-01-13T09:00:00.000Z', 'g'));
  });
});
