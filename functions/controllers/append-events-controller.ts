import { eventTypes, isEventType } from '../domain/event-catalog.js';
import { batchSchema, type SubmittedEvent, submittedEventSchema } from '../domain/submitted-event.js';
import { InputError } from '../http/http-errors.js';
import { metricNames } from '../http/metric-names.js';
import { talksIdParam } from '../http/path-params.js';
import { header, jsonBody, parseWith } from '../http/request-parsing.js';
import { etagOf, jsonResponse, routeHandler } from '../http/route-handler.js';
import { appendEventsRoute } from '../http/routes.js';
import { appendEvents } from '../store/append-events.js';
import type { Runtime } from './runtime.js';

/** If-Match: "17" (a strong ETag as GET returns it); 0 means "the talks must not exist yet". */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(value);
  if (match === null) throw new InputError([{ field: 'If-Match', message: 'expected a version ETag such as "17"' }]);
  return Number(match[1]);
}

function parseEvent(value: unknown, prefix: (string | number)[]): SubmittedEvent {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !isEventType(type)) {
    throw new InputError(
      [{ field: [...prefix, 'type'].join('/') || 'type', message: `must be one of: ${eventTypes.join(', ')}` }],
      'The event type is not known',
    );
  }
  return parseWith(submittedEventSchema, value, prefix, 'The event') as SubmittedEvent;
}

/** One event, or `{ "events": [...] }`: told apart by the `events` key. */
export function parseSubmission(body: unknown): SubmittedEvent[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError([{ field: 'body', message: 'expected an event object or {"events": [...]}' }]);
  }
  if (!('events' in body)) return [parseEvent(body, [])];
  const batch = parseWith(batchSchema, body, [], 'The batch');
  return batch.events.map((event, i) => parseEvent(event, ['events', i]));
}

export const appendEventsController = (runtime: Runtime) =>
  routeHandler(appendEventsRoute, runtime, async (event, caller, metrics) => {
    const talksId = talksIdParam(event);
    const expectedVersion = parseIfMatch(header(event, 'if-match'));
    const events = parseSubmission(jsonBody(event));
    const result = await appendEvents(runtime.store, {
      talksId,
      events,
      principal: caller?.principal ?? 'anonymous',
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    });
    // What the store did, from its answer: no measurement threaded through it.
    metrics.count(metricNames.submissions, 1);
    metrics.count(metricNames.eventsAppended, result.events.length - result.replayedEventIds.length);
    metrics.count(metricNames.replays, result.outcome === 'replayed' ? 1 : 0);
    // A replay found on a rule's error path takes a second pass without any race: not a retry.
    metrics.count(metricNames.appendRetries, result.outcome === 'appended' ? result.attempts - 1 : 0);
    const body = {
      talksId,
      outcome: result.outcome,
      statusVersion: result.statusVersion,
      replayedEventIds: result.replayedEventIds,
      events: result.events,
    };
    return jsonResponse(result.outcome === 'replayed' ? 200 : 201, body, {
      etag: etagOf(result.statusVersion),
      location: `/talks/${encodeURIComponent(talksId)}`,
    });
  });
