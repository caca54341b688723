import { project } from '../../functions/domain/project.js';
import type { SubmittedEvent } from '../../functions/domain/submitted-event.js';
import type { TalksStatus } from '../../functions/domain/talks-status.js';
import { storeAll } from '../support/event-builders.js';

/**
 * Specifications of the projection in Emmett's shape: given a log of developments, then
 * the status a reader sees. Events are stored as the store would (versions 1, 2, ...).
 */
export const talksId = 'gaza-ceasefire-2025';

export function given(...events: SubmittedEvent[]) {
  const log = storeAll(talksId, events);
  return { log, status: project(talksId, log) };
}

/** Envelope of a development that happened at a valid time (UTC midnight of a day by default). */
export const on = (day: string, envelope: Record<string, unknown> = {}) => ({
  occurredAt: day.includes('T') ? day : `${day}T00:00:00Z`,
  ...envelope,
});

/** The content of a status: what a revision may change, without the log's bookkeeping. */
export function content(status: TalksStatus) {
  const { version, headHash, updatedAt, counts, ...rest } = status;
  return rest;
}
