import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AppendDecision, decideAppend, identifySubmission, needsLog } from '../../functions/domain/decide-append.js';
import { eventCatalog } from '../../functions/domain/event-catalog.js';
import { genesisHash, verifyEventHash } from '../../functions/domain/hash-chain.js';
import { project } from '../../functions/domain/project.js';
import type { StoredEvent, SubmittedEvent } from '../../functions/domain/submitted-event.js';
import type { TalksStatus } from '../../functions/domain/talks-status.js';
import { opened, submitted } from '../support/event-builders.js';
import { exampleData } from './example-data.js';

/**
 * The append decision as specifications, in Emmett's shape: given the submissions already
 * decided, when a submission arrives (with a clock, a principal and a snapshot interval),
 * then what it stores, the status after it and the snapshots, or the domain error. No
 * DynamoDB: the decision is pure.
 */
const talksId = 'decide-spec';

interface When {
  now?: string;
  principal?: string;
  expectedVersion?: number;
  interval?: number;
  withoutLog?: boolean;
}

function given(...submissions: SubmittedEvent[][]) {
  let log: StoredEvent[] = [];
  let status: TalksStatus | undefined;
  submissions.forEach((events, i) => {
    const decision = decideAppend({ talksId, events: identifySubmission(events, randomUUID) }, status, {
      now: new Date(Date.UTC(2025, 0, 13, 12, i)),
      principal: 'earlier',
      snapshotInterval: 50,
      log,
    });
    log = [...log, ...decision.stored];
    status = decision.status;
  });
  const decide = (events: SubmittedEvent[], w: When = {}): AppendDecision =>
    decideAppend(
      {
        talksId,
        events: identifySubmission(events, randomUUID),
        ...(w.expectedVersion === undefined ? {} : { expectedVersion: w.expectedVersion }),
      },
      status,
      {
        now: new Date(w.now ?? '2025-01-14T09:00:00Z'),
        principal: w.principal ?? 'reporter',
        snapshotInterval: w.interval ?? 50,
        ...(w.withoutLog === true ? {} : { log }),
      },
    );
  return {
    log,
    when: (events: SubmittedEvent[], w: When = {}) => ({
      thenDecides: (check: (decision: AppendDecision) => void) => check(decide(events, w)),
      thenThrows: (expected: Record<string, unknown>) => expect(() => decide(events, w)).toThrow(expect.objectContaining(expected)),
    }),
  };
}

const development = (i = 0) => submitted('statement.issued', { ...exampleData['statement.issued'], summary: `Statement ${i}` });
const developments = (n: number) => Array.from({ length: n }, (_, i) => development(i));
const retract = (targetVersion: number) => submitted('report.retracted', { targetVersion, reason: 'Not confirmed', issuedBy: 'editor' });

describe('the append decision', () => {
  it('opens a talks at version 1, chained to the genesis hash, stamped with the clock and the principal', () => {
    given()
      .when([opened()], { now: '2025-01-14T09:00:00Z', principal: 'desk@news' })
      .thenDecides(({ stored: [first], status }) => {
        expect(first).toMatchObject({
          talksId,
          version: 1,
          recordedAt: '2025-01-14T09:00:00.000Z',
          recordedBy: 'desk@news',
          schemaVersion: eventCatalog['talks.opened'].schemaVersion,
          prevHash: genesisHash,
        });
        expect(verifyEventHash(first as StoredEvent)).toBe(true);
        expect(status).toMatchObject({ version: 1, headHash: first?.hash, phase: 'active' });
      });
  });

  it('refuses a first event that does not open the talks (404: the talks does not exist)', () => {
    given().when([development()]).thenThrows({ status: 404, slug: 'not-found' });
  });

  it('refuses to open a talks twice', () => {
    given([opened()]).when([opened()]).thenThrows({ status: 409, slug: 'already-open' });
  });

  it('refuses a submission made against another version (If-Match), naming the current one', () => {
    given([opened()], [development()])
      .when([development()], { expectedVersion: 1 })
      .thenThrows({ status: 409, slug: 'version-mismatch', extensions: { currentVersion: 2, expectedVersion: 1 } });
  });

  it('accepts a submission made against the current version', () => {
    given([opened()])
      .when([development()], { expectedVersion: 1 })
      .thenDecides(({ stored }) => expect(stored.map((e) => e.version)).toEqual([2]));
  });

  it('chains each event of a batch to the one before and gives them one transaction time', () => {
    const spec = given([opened()]);
    spec.when(developments(3)).thenDecides(({ stored }) => {
      expect(stored.map((e) => e.version)).toEqual([2, 3, 4]);
      expect(new Set(stored.map((e) => e.recordedAt)).size).toBe(1);
      expect(stored.every(verifyEventHash)).toBe(true);
      expect(stored.map((e) => e.prevHash)).toEqual([spec.log[0]?.hash, stored[0]?.hash, stored[1]?.hash]);
    });
  });

  it('never lets transaction time go back, whatever the clock says', () => {
    given([opened()])
      .when([development()], { now: '2020-01-01T00:00:00Z' })
      .thenDecides(({ stored: [event], status }) => {
        expect(event?.recordedAt).toBe('2025-01-13T12:00:00.000Z');
        expect(status.updatedAt).toBe('2025-01-13T12:00:00.000Z');
      });
  });

  it('keeps a snapshot at every multiple of the interval inside a batch, not at its end', () => {
    given([opened()])
      .when(developments(7), { interval: 3 })
      .thenDecides(({ snapshots }) => expect(snapshots.map((s) => s.version)).toEqual([3, 6]));
  });

  it('folds developments onto the current status: the same status a replay of the log gives', () => {
    const spec = given([opened()], developments(4));
    spec
      .when(developments(2))
      .thenDecides(({ stored, status }) => expect(status).toStrictEqual(project(talksId, [...spec.log, ...stored])));
  });

  it('replays the log at a revision and keeps a snapshot there, so later reads fold without it', () => {
    const spec = given([opened()], developments(3));
    const log = spec.log;
    spec.when([development(9), retract(2), development(10)], { interval: 50 }).thenDecides(({ stored, status, snapshots }) => {
      expect(snapshots.map((s) => s.version)).toEqual([6]);
      expect(snapshots[0]).toStrictEqual(project(talksId, [...log, ...stored.slice(0, 2)]));
      expect(status).toStrictEqual(project(talksId, [...log, ...stored]));
      expect(status.counts.retractions).toBe(1);
    });
  });

  it('refuses a revision that breaks the rules (a retraction of a version that does not exist)', () => {
    given([opened()])
      .when([retract(7)])
      .thenThrows({ status: 422, slug: 'revision-target-missing' });
  });

  it('needs the log for a revision, and only then', () => {
    expect(needsLog(identifySubmission([development()], randomUUID))).toBe(false);
    expect(needsLog(identifySubmission([development(), retract(1)], randomUUID))).toBe(true);
    given([opened()])
      .when([retract(1)], { withoutLog: true })
      .thenThrows({ message: 'a revision needs the log before it' });
  });
});

describe('identifying a submission', () => {
  it('keeps the client ids, makes the missing ones, and hashes each content', () => {
    const given = { ...development(), eventId: '0b9d8f1e-3c4a-4d6b-9e1f-2a3b4c5d6e7f' };
    const [kept, made] = identifySubmission([given, development()], () => 'made-id');
    expect(kept?.event.eventId).toBe(given.eventId);
    expect(made?.event.eventId).toBe('made-id');
    expect(kept?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(kept?.contentHash).not.toBe(made?.contentHash);
  });

  it('refuses an id used twice in one submission, naming the second', () => {
    const eventId = '0b9d8f1e-3c4a-4d6b-9e1f-2a3b4c5d6e7f';
    expect(() =>
      identifySubmission(
        [
          { ...development(), eventId },
          { ...development(1), eventId },
        ],
        randomUUID,
      ),
    ).toThrow(
      expect.objectContaining({ status: 400, fields: [{ field: 'events/1/eventId', message: 'duplicated within the submission' }] }),
    );
  });
});
