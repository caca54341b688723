/**
 * The names the handlers publish and the stack's alarms and dashboard read: one list, so
 * an alarm can never watch a metric nobody writes. Plain constants, importable by lib/.
 */
export const serviceName = 'talks-status';
export const metricNamespace = 'TalksStatus';

/** Every metric is published per service and route; refusals and conflicts also per problem type. */
export const metricDimensions = { service: 'service', route: 'route', problem: 'problem' } as const;

export const metricNames = {
  /** One per submission the append route accepted (201 or 200). */
  submissions: 'Submissions',
  /** Events newly stored by a submission (replayed ones not counted). */
  eventsAppended: 'EventsAppended',
  /** Submissions answered 200: everything was already stored. */
  replays: 'Replays',
  /** Attempts beyond the first of an appending submission (version races the store settled by deciding again). */
  appendRetries: 'AppendRetries',
  /** 409 answers, by problem type. */
  conflicts: 'Conflicts',
  /** Every answer with a problem type (4xx and 5xx), by type. */
  refusals: 'Refusals',
  /** 5xx answers (503 storage-unavailable and busy included). */
  serverErrors: 'ServerErrors',
} as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];
