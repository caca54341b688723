import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from './domain-errors.js';
import { eventCatalog, isRevisionType } from './event-catalog.js';
import { applyCorrections, indexRevisions } from './project.js';
import { isPlausible, type StoredEvent, type SubmittedEvent } from './submitted-event.js';
import { upcast } from './upcasters.js';

/**
 * The append rules that need only the current version: the first event of a talks must
 * open it, and a talks opens once.
 */
export function checkOpening(talksId: string, currentVersion: number, events: readonly SubmittedEvent[]): void {
  events.forEach((event, i) => {
    const isFirst = currentVersion === 0 && i === 0;
    if (isFirst && event.type !== 'talks.opened') {
      throw new NotFoundError(`Talks ${talksId} does not exist: its first event must be talks.opened`);
    }
    if (!isFirst && event.type === 'talks.opened') {
      throw new ConflictError('already-open', `Talks ${talksId} is already open`, { field: batchPath(events.length, i, 'type') });
    }
  });
}

const batchPath = (size: number, i: number, rest: string) => (size > 1 ? `events/${i}/${rest}` : rest);

/**
 * The rules of corrections and retractions, checked against the whole log as it will be
 * (history plus the new events, in version order). A correction's merged data must still
 * be valid for its target's type.
 */
export function checkRevisions(log: readonly StoredEvent[], firstNewVersion: number): void {
  const byVersion = new Map(log.map((e) => [e.version, e]));
  const batchSize = log.length - firstNewVersion + 1;
  for (const event of log) {
    if (event.version < firstNewVersion || !isRevisionType(event.type)) continue;
    const field = (rest: string) => batchPath(batchSize, event.version - firstNewVersion, rest);
    const targetVersion = (event.data as { targetVersion: number }).targetVersion;
    const target = byVersion.get(targetVersion);
    const fail = (slug: string, message: string) => {
      throw new RuleViolationError(slug, message, [{ field: field('data/targetVersion'), message }]);
    };
    if (target === undefined || targetVersion >= event.version)
      fail('revision-target-missing', `version ${targetVersion} is not an earlier event of this talks`);
    const t = target as StoredEvent;
    const known = indexRevisions(log.filter((e) => e.version < event.version));
    if (known.retracted.has(targetVersion)) fail('revision-target-retracted', `version ${targetVersion} is already retracted`);
    if (t.type === 'report.retracted') fail('revision-target-invalid', 'a retraction cannot be corrected or retracted');
    if (event.type === 'report.retracted' && t.type === 'talks.opened')
      fail('revision-target-invalid', 'the opening of a talks cannot be retracted; correct it instead');
    if (event.type === 'report.corrected') {
      if (t.type === 'report.corrected')
        fail('revision-target-invalid', 'a correction cannot be corrected; retract it and correct the original');
      const patch = event.data.corrected.data;
      if (patch !== undefined) {
        const current = upcast(t);
        const merged = { ...current.data, ...patch };
        const result = eventCatalog[current.type].data.safeParse(merged);
        if (!result.success) {
          throw new RuleViolationError(
            'invalid-correction',
            `the corrected data is not valid for a ${t.type} event`,
            result.error.issues.map((issue) => ({
              field: field(['data', 'corrected', 'data', ...issue.path.map(String)].join('/')),
              message: issue.message,
            })),
          );
        }
      }
    }
    checkPlausibleAfter(log, event, t, field);
  }
}

/**
 * The plausibility rule holds for a development as its revisions make it read, not only as
 * submitted: a correction may not move `occurredAt` past `reportedAt` (beyond the precision
 * window), nor `reportedAt` before it, alone or together with the target's other
 * corrections; nor may retracting a correction bring back times that only it made
 * plausible. Only a revision that touches times is checked, so an event stored before the
 * rule can still have its data corrected.
 */
function checkPlausibleAfter(
  log: readonly StoredEvent[],
  revision: StoredEvent,
  target: StoredEvent,
  field: (rest: string) => string,
): void {
  const corrected = revision.type === 'report.corrected' ? revision.data.corrected : undefined;
  const undone = revision.type === 'report.retracted' && target.type === 'report.corrected' ? target : undefined;
  if (corrected?.occurredAt === undefined && corrected?.reportedAt === undefined) {
    if (undone === undefined || (undone.data.corrected.occurredAt === undefined && undone.data.corrected.reportedAt === undefined)) return;
  }
  const development = undone === undefined ? target : log.find((e) => e.version === undone.data.targetVersion);
  if (development === undefined) return;
  const after = indexRevisions(log.filter((e) => e.version <= revision.version));
  if (after.retracted.has(development.version)) return;
  const reads = applyCorrections(development, after);
  if (isPlausible(reads)) return;
  const times = `occurredAt ${reads.occurredAt} (precision ${reads.occurredPrecision ?? 'instant'}) and reportedAt ${reads.reportedAt}`;
  if (corrected !== undefined) {
    const message = `after this correction version ${development.version} would read ${times}: a development cannot happen after it was reported`;
    throw new ValidationError([
      { field: field(`data/corrected/${corrected.occurredAt === undefined ? 'reportedAt' : 'occurredAt'}`), message },
    ]);
  }
  const message = `retracting correction ${undone?.version} would leave version ${development.version} reading ${times}: a development cannot happen after it was reported`;
  throw new RuleViolationError('revision-target-invalid', message, [{ field: field('data/targetVersion'), message }]);
}
