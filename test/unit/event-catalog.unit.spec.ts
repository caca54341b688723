import { describe, expect, it } from 'vitest';
import { eventCatalog, eventTypes, isEventType } from '../../functions/domain/event-catalog.js';
import { submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { nbc, reportedAt } from '../support/event-builders.js';
import { exampleData } from './example-data.js';

const envelope = (type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type,
  reportedAt,
  source: nbc,
  data,
  ...extra,
});
const parse = (type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  submittedEventSchema.safeParse(envelope(type, data, extra));
const example = (type: keyof typeof exampleData) => exampleData[type];
const dataOf = (result: { data: unknown }) => result.data as Record<string, unknown>;
const issuesOf = (result: ReturnType<typeof parse>) => (result.success ? [] : result.error.issues);

describe('event catalog', () => {
  it.each(eventTypes)('accepts a valid %s event', (type) => {
    const data = exampleData[type];
    expect(data, `no example for ${type}: add one to example-data.ts`).toBeDefined();
    const result = parse(type, data);
    expect(result.success, JSON.stringify(issuesOf(result))).toBe(true);
  });

  it('knows every type it catalogs, and no other', () => {
    for (const type of eventTypes) expect(isEventType(type)).toBe(true);
    expect(isEventType('talks.reopened')).toBe(false);
    expect(isEventType('toString')).toBe(false);
    expect(parse('talks.reopened', {}).success).toBe(false);
  });

  it.each(eventTypes)('declares a schema version for %s', (type) => {
    const { schemaVersion } = eventCatalog[type];
    expect(Number.isInteger(schemaVersion) && schemaVersion >= 1).toBe(true);
  });

  describe('rejects unknown keys', () => {
    it('at the envelope', () => {
      const issues = issuesOf(parse('talks.resumed', {}, { confidence: 'high' }));
      expect(issues).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', keys: ['confidence'], path: [] }));
    });

    it('in the data', () => {
      const issues = issuesOf(parse('figure.reported', { ...example('figure.reported'), colour: 'red' }));
      expect(issues).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', keys: ['colour'], path: ['data'] }));
    });

    it('in the source', () => {
      const issues = issuesOf(parse('talks.resumed', {}, { source: { ...nbc, reliability: 'A' } }));
      expect(issues).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', keys: ['reliability'], path: ['source'] }));
    });

    it('in a nested part of the data (the speaker of a statement)', () => {
      const statement = example('statement.issued');
      const issues = issuesOf(parse('statement.issued', { ...statement, speaker: { name: 'A', affiliation: 'Israel', age: 61 } }));
      expect(issues).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', path: ['data', 'speaker'] }));
    });
  });

  describe('bounds every string', () => {
    it('accepts a title of 200 characters and rejects one of 201', () => {
      const opened = example('talks.opened');
      expect(parse('talks.opened', { ...opened, title: 'x'.repeat(200) }).success).toBe(true);
      expect(issuesOf(parse('talks.opened', { ...opened, title: 'x'.repeat(201) }))).toContainEqual(
        expect.objectContaining({ code: 'too_big', path: ['data', 'title'] }),
      );
    });

    it('rejects a quote longer than 280 characters', () => {
      const issues = issuesOf(parse('statement.issued', { ...example('statement.issued'), quote: 'q'.repeat(281) }));
      expect(issues).toContainEqual(expect.objectContaining({ path: ['data', 'quote'] }));
    });

    it('rejects an over-long source attribution and a blank party name', () => {
      expect(parse('talks.resumed', {}, { source: { ...nbc, attribution: 'a'.repeat(301) } }).success).toBe(false);
      expect(parse('talks.opened', { ...example('talks.opened'), parties: ['   '] }).success).toBe(false);
    });

    it('trims the strings it keeps', () => {
      const result = parse('talks.opened', { ...example('talks.opened'), title: '  Gaza talks ' });
      expect(result.success && dataOf(result.data).title).toBe('Gaza talks');
    });
  });

  describe('times', () => {
    it.each([
      ['occurredAt', (t: string) => parse('talks.resumed', {}, { occurredAt: t })],
      ['reportedAt', (t: string) => parse('talks.resumed', {}, { reportedAt: t })],
      ['a time in the data', (t: string) => parse('statement.none_noted', { party: 'Hamas', asOf: t })],
    ])('rejects %s without an offset', (_, parseWith) => {
      expect(parseWith('2025-01-13T12:00:00').success).toBe(false);
      expect(parseWith('2025-01-13T12:00:00Z').success).toBe(true);
    });

    it('normalises a time with an offset to UTC ISO', () => {
      const result = submittedEventSchema.parse(
        envelope(
          'statement.none_noted',
          { party: 'Hamas', asOf: '2025-01-13T08:00:00+02:00' },
          { occurredAt: '2025-01-13T08:30:00-05:00', reportedAt: '2025-01-13T15:00:00+01:00' },
        ),
      );
      expect(result.occurredAt).toBe('2025-01-13T13:30:00.000Z');
      expect(result.reportedAt).toBe('2025-01-13T14:00:00.000Z');
      expect(dataOf(result).asOf).toBe('2025-01-13T06:00:00.000Z');
    });

    it('reads a due date as the start of that UTC day', () => {
      const result = submittedEventSchema.parse(envelope('deadline.set', example('deadline.set')));
      expect(dataOf(result)).toMatchObject({ due: '2025-01-20T00:00:00.000Z', duePrecision: 'day' });
    });
  });

  describe('figures', () => {
    const { value, ...withoutValue } = example('figure.reported');

    it('need a value or a best estimate', () => {
      expect(value).toBeDefined();
      expect(issuesOf(parse('figure.reported', withoutValue))).toContainEqual(
        expect.objectContaining({ path: ['data', 'value'], message: 'either value or best is required' }),
      );
      expect(parse('figure.reported', { ...withoutValue, low: 46000, best: 46500, high: 50000 }).success).toBe(true);
    });

    it('reject a metric that is not a snake_case name', () => {
      expect(parse('figure.reported', { ...example('figure.reported'), metric: 'Killed in Gaza' }).success).toBe(false);
    });
  });

  describe('corrections', () => {
    const correction = example('report.corrected');

    it('need at least one corrected field', () => {
      const issues = issuesOf(parse('report.corrected', { ...correction, corrected: {} }));
      expect(issues).toContainEqual(expect.objectContaining({ path: ['data', 'corrected'], message: 'name at least one corrected field' }));
    });

    it('may correct only the valid time', () => {
      expect(parse('report.corrected', { ...correction, corrected: { occurredAt: '2025-01-12T00:00:00Z' } }).success).toBe(true);
    });

    it('point at a positive version', () => {
      expect(parse('report.retracted', { ...example('report.retracted'), targetVersion: 0 }).success).toBe(false);
      expect(parse('report.retracted', { ...example('report.retracted'), targetVersion: 1.5 }).success).toBe(false);
    });
  });
});
