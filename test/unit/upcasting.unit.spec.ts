import { describe, expect, it } from 'vitest';
import { checkRevisions } from '../../functions/domain/append-rules.js';
import { RuleViolationError } from '../../functions/domain/domain-errors.js';
import { eventCatalog, eventTypes } from '../../functions/domain/event-catalog.js';
import { verifyEventHash } from '../../functions/domain/hash-chain.js';
import { project } from '../../functions/domain/project.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { upcast } from '../../functions/domain/upcasters.js';
import { opened, storeAll, submitted } from '../support/event-builders.js';
import { exampleData } from './example-data.js';
import { talksId } from './given.js';
import { logWithV1Statement, v1Statement, v2Statement } from './legacy-statement.js';

describe('statement.issued written at schema version 1', () => {
  it('is the version the upcaster starts from', () => {
    expect(eventCatalog['statement.issued'].schemaVersion).toBe(2);
  });

  it('keeps its own shape in the log, so its hash still verifies', () => {
    const old = logWithV1Statement(v1Statement)[1] as StoredEvent;
    expect(old.schemaVersion).toBe(1);
    expect(old.data).toEqual(v1Statement);
    expect(verifyEventHash(old)).toBe(true);
  });

  it('reads as version 2: the speaker is a person, the modality asserted', () => {
    const read = upcast(logWithV1Statement(v1Statement)[1] as StoredEvent);
    expect(read.schemaVersion).toBe(2);
    expect(read.data).toEqual({ ...v2Statement, modality: 'asserted' });
    expect(eventCatalog['statement.issued'].data.safeParse(read.data).success).toBe(true);
  });

  it('leaves out the role of a speaker who had none', () => {
    const { speakerRole: _role, ...withoutRole } = v1Statement;
    const read = upcast(logWithV1Statement(withoutRole)[1] as StoredEvent);
    expect(read.type === 'statement.issued' && read.data.speaker).toEqual({ name: "Gideon Sa'ar", affiliation: 'Israel' });
  });

  it('projects to the same position as the equivalent version 2 statement', () => {
    const old = project(talksId, logWithV1Statement(v1Statement));
    const current = project(
      talksId,
      storeAll(talksId, [opened(), submitted('statement.issued', v2Statement, { occurredAt: '2025-01-13T00:00:00Z' })]),
    );
    expect(old.positions).toHaveLength(1);
    expect(old.positions).toStrictEqual(current.positions);
    expect(old.lastDevelopment?.summary).toBe(current.lastDevelopment?.summary);
  });

  it('is corrected in its version 2 shape', () => {
    const correction = submitted('report.corrected', {
      targetVersion: 2,
      corrected: { data: { stance: 'cautious' } },
      reason: 'Misread',
      issuedBy: 'editor',
    });
    const log = logWithV1Statement(v1Statement, correction);
    expect(() => checkRevisions(log, 3)).not.toThrow();
    expect(project(talksId, log).positions[0]).toMatchObject({
      stance: 'cautious',
      speaker: { name: "Gideon Sa'ar", affiliation: 'Israel' },
    });
  });

  it('refuses a correction in the old shape', () => {
    const correction = submitted('report.corrected', {
      targetVersion: 2,
      corrected: { data: { affiliation: 'Hamas' } },
      reason: 'Misread',
      issuedBy: 'editor',
    });
    expect(() => checkRevisions(logWithV1Statement(v1Statement, correction), 3)).toThrow(RuleViolationError);
  });
});

describe('events at the current schema version', () => {
  it.each(eventTypes)('pass %s through unchanged', (type) => {
    const [, event] = storeAll(talksId, [opened(), submitted(type, exampleData[type])]);
    expect(event?.schemaVersion).toBe(eventCatalog[type].schemaVersion);
    expect(upcast(event as StoredEvent)).toBe(event);
  });

  it('refuse to read a version no upcaster knows', () => {
    const [, event] = storeAll(talksId, [opened(), submitted('figure.reported', exampleData['figure.reported'])]);
    expect(() => upcast({ ...(event as StoredEvent), schemaVersion: 0 })).toThrow(/no upcaster for figure.reported v0/);
  });
});
