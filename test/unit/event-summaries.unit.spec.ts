import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../functions/domain/describe-event.js';
import { eventTypes, isRevisionType } from '../../functions/domain/event-catalog.js';
import { project } from '../../functions/domain/project.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { historyPageBody } from '../../functions/http/history-page.js';
import { opened, storeAll, submitted } from '../support/event-builders.js';
import { exampleData } from './example-data.js';
import { talksId } from './given.js';
import { logWithV1Statement, v1Statement, v2Statement } from './legacy-statement.js';

/**
 * One wording of an event: the history page's `summaries` (what the CLI and the status
 * page show) are the domain's description, the same as the status's `lastDevelopment`.
 */
const historyOf = (log: StoredEvent[]) => historyPageBody(talksId, { items: log, nextAfter: null });

describe("the history's summaries", () => {
  const developments = eventTypes.filter((type) => !isRevisionType(type) && type !== 'talks.opened');

  it.each(developments)('word %s as the status does in lastDevelopment', (type) => {
    const log = storeAll(talksId, [opened(), submitted(type, exampleData[type])]);
    const { summaries } = historyOf(log);
    const status = project(talksId, log);
    expect(summaries[1]).toEqual({ version: 2, summary: status.lastDevelopment?.summary });
    expect(summaries[1]?.summary).toBe(describeEvent(log[1]!));
  });

  it('word an exchange with the group of those released, one person in the singular', () => {
    const released = [
      { kind: 'hostage', count: 13, releasedBy: 'Hamas', group: 'Israeli' },
      { kind: 'hostage', count: 1, releasedBy: 'Hamas', group: 'Filipino' },
      { kind: 'prisoner', count: 39, releasedBy: 'Israel' },
    ];
    const [, exchange] = storeAll(talksId, [opened(), submitted('exchange.carried_out', { released })]);
    expect(describeEvent(exchange!)).toBe('Released: 13 Israeli hostages by Hamas; 1 Filipino hostage by Hamas; 39 prisoners by Israel');
  });

  it('word talks.opened as the status does', () => {
    const log = storeAll(talksId, [opened()]);
    expect(historyOf(log).summaries).toEqual([{ version: 1, summary: project(talksId, log).lastDevelopment?.summary }]);
    expect(historyOf(log).summaries[0]?.summary).toBe('Talks opened: Test talks');
  });

  it.each(['report.corrected', 'report.retracted'] as const)('word %s with the domain description', (type) => {
    const log = storeAll(talksId, [
      opened(),
      submitted('figure.reported', exampleData['figure.reported']),
      submitted(type, exampleData[type]),
    ]);
    const { summaries } = historyOf(log);
    expect(summaries.map((s) => s.version)).toEqual([1, 2, 3]);
    expect(summaries[2]?.summary).toBe(describeEvent(log[2]!));
    expect(summaries[2]?.summary).toMatch(/^(Correction|Retraction) of version 2: /);
  });

  it('keep each item as stored, one summary per item in the same order', () => {
    const log = storeAll(talksId, [opened(), ...developments.map((type) => submitted(type, exampleData[type]))]);
    const body = historyOf(log);
    expect(body.items).toBe(log);
    expect(body.summaries.map((s) => s.version)).toEqual(log.map((e) => e.version));
    for (const item of body.items) expect(item).not.toHaveProperty('summary');
  });

  it('word a corrected development as reported, while the status words it as corrected', () => {
    const log = storeAll(talksId, [
      opened(),
      submitted('figure.reported', exampleData['figure.reported']),
      submitted('report.corrected', exampleData['report.corrected']),
    ]);
    const [, figure] = historyOf(log).summaries;
    expect(figure?.summary).toContain('46500');
    expect(project(talksId, log).lastDevelopment).toMatchObject({ version: 2, summary: expect.stringContaining('46600') });
  });
});

describe('a statement.issued written at schema version 1', () => {
  const old = logWithV1Statement(v1Statement);
  const current = storeAll(talksId, [opened(), submitted('statement.issued', v2Statement, { occurredAt: '2025-01-13T00:00:00Z' })]);

  it('reads in the history as the same statement at version 2 does, and as lastDevelopment', () => {
    const summary = historyOf(old).summaries[1]?.summary;
    expect(summary).toBe("Gideon Sa'ar (Israel): There is progress in the negotiations");
    expect(summary).toBe(historyOf(current).summaries[1]?.summary);
    expect(summary).toBe(project(talksId, old).lastDevelopment?.summary);
    expect(summary).toBe(describeEvent(old[1]!));
  });

  it('stays in the page as written, schema version 1', () => {
    expect(historyOf(old).items[1]).toMatchObject({ schemaVersion: 1, data: v1Statement });
  });
});
