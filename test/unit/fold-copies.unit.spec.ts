import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEvent, indexRevisions, project } from '../../functions/domain/project.js';
import { LogReplay } from '../../functions/domain/replay-policy.js';
import { type SubmittedEvent, submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { copyStatus, initialStatus } from '../../functions/domain/talks-status.js';
import { talksStatusFields } from '../../functions/domain/talks-status-schema.js';
import { storeAll, submitted } from '../support/event-builders.js';

/**
 * The fold's shortcuts (bench/replay.bench.ts): it copies the status field by field, not by
 * spread, and a replay judges momentum once at the end instead of once per event. Neither
 * may change what the status says.
 */
const scenario = JSON.parse(readFileSync(new URL('../../scenarios/truce-2023-11.json', import.meta.url), 'utf8')) as {
  talksId: string;
  events: unknown[];
};
const events = scenario.events.map((e) => submittedEventSchema.parse(e) as SubmittedEvent);

describe('copyStatus', () => {
  it('copies every field the status schema has, optional ones included', () => {
    const status = project(scenario.talksId, storeAll(scenario.talksId, events));
    expect(Object.keys(status).sort()).toEqual(Object.keys(talksStatusFields).sort());
    const copy = copyStatus(status);
    expect(copy).not.toBe(status);
    expect(copy).toStrictEqual(status);
  });

  it('adds no optional field the status does not have', () => {
    const copy = copyStatus(initialStatus('t'));
    expect(Object.keys(copy).sort()).toEqual(Object.keys(initialStatus('t')).sort());
    expect('subject' in copy || 'format' in copy).toBe(false);
  });
});

describe('a replay judges momentum once, as folding event by event would', () => {
  const eventByEvent = (log: ReturnType<typeof storeAll>) => {
    const index = indexRevisions(log);
    return log.reduce((s, e) => applyEvent(s, e, index), initialStatus(scenario.talksId));
  };

  it('gives the status an event-by-event fold gives, for every prefix of the truce log', () => {
    const log = storeAll(scenario.talksId, events);
    for (let n = 1; n <= log.length; n += 1) {
      const prefix = log.slice(0, n);
      expect(project(scenario.talksId, prefix), `after version ${n}`).toStrictEqual(eventByEvent(prefix));
    }
  });

  it('gives the audit and the rebuild (LogReplay) the status of the events pushed so far, whenever they read it', () => {
    const log = storeAll(scenario.talksId, [
      ...events,
      submitted('report.retracted', { targetVersion: events.length, reason: 'Misattributed', issuedBy: 'editor' }),
    ]);
    const revisions = log.filter((e) => e.type === 'report.retracted');
    const replay = new LogReplay(scenario.talksId, revisions);
    log.forEach((event, i) => {
      replay.push(event);
      // Read at some points only, as the rebuild reads at its snapshots: reading must not change what follows.
      if (i % 7 === 0 || i === log.length - 1) {
        const through = log.slice(0, i + 1);
        expect(replay.status, `after version ${event.version}`).toStrictEqual(
          through.reduce((st, e) => applyEvent(st, e, indexRevisions(revisions)), initialStatus(scenario.talksId)),
        );
      }
    });
  });

  it('judges it when the last development was recorded, not at a revision recorded after it', () => {
    const firstAssessment = events.findIndex((e) => e.type === 'progress.assessed');
    const log = storeAll(
      scenario.talksId,
      [
        ...events.slice(0, firstAssessment + 1),
        submitted('report.retracted', { targetVersion: firstAssessment + 1, reason: 'Misattributed', issuedBy: 'editor' }),
      ],
      { recordedAt: (i) => new Date(Date.UTC(2023, 10, 22) + i * 86_400_000).toISOString() },
    );
    const status = project(scenario.talksId, log);
    expect(status).toStrictEqual(eventByEvent(log));
    expect(status.momentum.at).toBe(log.at(-3)?.recordedAt);
  });
});
