import { type MetricName, metricDimensions, metricNamespace, serviceName } from './metric-names.js';

/**
 * What Lambda passes a handler beside the event; the local server passes nothing. Only the
 * fields the log line names, so no AWS type is needed here.
 */
export interface InvocationContext {
  readonly awsRequestId?: string;
  readonly functionName?: string;
}

/** Counts a controller reports about its request, published with the request's metrics. */
export interface RequestMetrics {
  count(name: MetricName, value: number): void;
}

/** The facts of one answered request, as the route handler knows them. */
export interface RequestRecord {
  readonly route: { readonly id: string; readonly method: string; readonly path: string };
  readonly correlationId: string;
  readonly status: number;
  readonly problem: string | undefined;
  readonly latencyMs: number;
  readonly principal: string | undefined;
  readonly invocation: InvocationContext | undefined;
  readonly coldStart: boolean;
}

const levelOf = (status: number) => (status === 500 ? 'ERROR' : status >= 500 ? 'WARN' : 'INFO');

/**
 * Fields every line of one request carries, in the keys Powertools' Logger uses, so Logs
 * Insights queries written for Powertools work here. The correlation id is API Gateway's
 * request id: the one its access log and the client's `apigw-requestid` header show.
 */
export function correlationFields(record: Pick<RequestRecord, 'correlationId' | 'invocation'>): Record<string, unknown> {
  return {
    service: serviceName,
    correlation_id: record.correlationId,
    ...(record.invocation?.awsRequestId === undefined ? {} : { function_request_id: record.invocation.awsRequestId }),
    ...(record.invocation?.functionName === undefined ? {} : { function_name: record.invocation.functionName }),
  };
}

/** The one line per request: never the token or the body, only who (the principal) and what. */
export function requestLogEntry(record: RequestRecord): Record<string, unknown> {
  return {
    level: levelOf(record.status),
    message: 'request',
    ...correlationFields(record),
    cold_start: record.coldStart,
    route: record.route.id,
    method: record.route.method,
    path: record.route.path,
    status: record.status,
    ...(record.problem === undefined ? {} : { problem: record.problem }),
    latency_ms: record.latencyMs,
    ...(record.principal === undefined ? {} : { principal: record.principal }),
  };
}

/**
 * The request's metrics as one CloudWatch embedded-metric-format document (the shape
 * Powertools Metrics writes): CloudWatch Logs turns it into metrics, no API call needed.
 * Every metric is published per service and route; a refused request's also per problem
 * type, so refusals and conflicts can be told apart by slug. Undefined when nothing counted.
 */
export function metricsDocument(
  record: Pick<RequestRecord, 'route' | 'problem' | 'correlationId'>,
  counts: ReadonlyMap<MetricName, number>,
  at: Date,
): Record<string, unknown> | undefined {
  if (counts.size === 0) return undefined;
  const { service, route, problem } = metricDimensions;
  const dimensions =
    record.problem === undefined
      ? [[service, route]]
      : [
          [service, route],
          [service, route, problem],
        ];
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        { Namespace: metricNamespace, Dimensions: dimensions, Metrics: [...counts.keys()].map((Name) => ({ Name, Unit: 'Count' })) },
      ],
    },
    [service]: serviceName,
    [route]: record.route.id,
    ...(record.problem === undefined ? {} : { [problem]: record.problem }),
    // A property, not a dimension: finds the request's log line from a metric's sample.
    correlation_id: record.correlationId,
    ...Object.fromEntries(counts),
  };
}

/** Collects a request's counts; adding to a name twice sums. */
export class MetricCounts implements RequestMetrics {
  readonly counts = new Map<MetricName, number>();

  count(name: MetricName, value: number): void {
    if (value === 0) return;
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }
}
