import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../functions/composition/runtime.js';
import { appendEventsController } from '../../functions/controllers/append-events-controller.js';
import type { Runtime } from '../../functions/controllers/runtime.js';
import { httpEvent } from '../../harness/http-event.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore, type TestStore } from '../support/test-store.js';
import { injectFaults } from '../trust/support/fault-injection.js';

/**
 * The route handler's telemetry, through the append controller and a real DynamoDB Local:
 * one JSON log line per request (correlated by API Gateway's request id) and one EMF
 * document with the request's counts, as CloudWatch reads them.
 */
type Entry = Record<string, unknown>;
interface Emf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

let store: TestStore;
const logged: Entry[] = [];
let append: ReturnType<typeof appendEventsController>;

beforeAll(async () => {
  store = await createTestStore();
  const runtime: Runtime = { ...store.runtime, log: (entry) => logged.push(entry) };
  append = appendEventsController(runtime);
});

const token = 'eyJhbGciOiJSUzI1NiJ9.secret-token-material.signature';

/** Sends one append and returns the response with exactly the lines its request logged. */
async function post(talksId: string, body: unknown, headers: Record<string, string> = {}) {
  const event = httpEvent({
    method: 'POST',
    path: `/talks/${talksId}/events`,
    pathParameters: { talksId },
    body,
    headers: { authorization: `Bearer ${token}`, ...headers },
    scopes: ['talks/write'],
    subject: 'client-42',
  });
  const from = logged.length;
  const response = await append(event);
  const lines = logged.slice(from);
  // Every line, as jsonLog would write it, must be one JSON object a line without the token.
  for (const line of lines) expect(JSON.stringify(line)).not.toContain('secret-token-material');
  const requestLines = lines.filter((l) => l.message === 'request');
  expect(requestLines).toHaveLength(1);
  const emf = lines.filter((l) => '_aws' in l) as Emf[];
  expect(emf.length).toBeLessThanOrEqual(1);
  return { response, event, request: requestLines[0] as Entry, emf: emf[0], lines };
}

const metricsOf = (emf: Emf | undefined) =>
  Object.fromEntries((emf?._aws.CloudWatchMetrics[0]?.Metrics ?? []).map(({ Name }) => [Name, emf?.[Name]]));

describe('the request log line', () => {
  it('names route, method, path template, status, latency, principal and the correlation id of a 201', async () => {
    const talksId = `tel-${randomUUID().slice(0, 8)}`;
    const { response, event, request } = await post(talksId, opened({ eventId: randomUUID() }));
    expect(response.statusCode).toBe(201);
    expect(request).toMatchObject({
      level: 'INFO',
      message: 'request',
      service: 'talks-status',
      correlation_id: event.requestContext.requestId,
      route: 'AppendEvents',
      method: 'POST',
      path: '/talks/{talksId}/events',
      status: 201,
      principal: 'client-42',
      latency_ms: expect.any(Number),
    });
    expect(request).not.toHaveProperty('problem');
  });

  it('names the problem type of a refusal, and has no principal when there is no caller', async () => {
    const talksId = `tel-${randomUUID().slice(0, 8)}`;
    const event = httpEvent({ method: 'POST', path: `/talks/${talksId}/events`, pathParameters: { talksId }, body: opened() });
    const from = logged.length;
    const response = await append(event);
    expect(response.statusCode).toBe(401);
    const [request, emf] = logged.slice(from) as [Entry, Emf];
    expect(request).toMatchObject({ level: 'INFO', status: 401, problem: 'unauthorized', correlation_id: event.requestContext.requestId });
    expect(request).not.toHaveProperty('principal');
    expect(metricsOf(emf)).toEqual({ Refusals: 1 });
  });

  it('carries the Lambda request id and cold start when Lambda passes its context', async () => {
    const talksId = `tel-${randomUUID().slice(0, 8)}`;
    const fresh = appendEventsController({ ...store.runtime, log: (entry) => logged.push(entry) });
    const event = () => httpEvent({ method: 'POST', path: `/talks/${talksId}/events`, pathParameters: { talksId }, body: opened() });
    const from = logged.length;
    await fresh(event(), { awsRequestId: 'lambda-req-1', functionName: 'TalksStatus-AppendEvents' });
    await fresh(event(), { awsRequestId: 'lambda-req-2', functionName: 'TalksStatus-AppendEvents' });
    const requests = logged.slice(from).filter((l) => l.message === 'request');
    expect(requests.map((r) => [r.function_request_id, r.function_name, r.cold_start])).toEqual([
      ['lambda-req-1', 'TalksStatus-AppendEvents', true],
      ['lambda-req-2', 'TalksStatus-AppendEvents', false],
    ]);
  });
});

describe('the metrics (embedded metric format)', () => {
  const talksId = `tel-${randomUUID().slice(0, 8)}`;
  const opening = opened({ eventId: randomUUID() });

  it('count a 201: one submission, its events appended, no retry', async () => {
    const development = submitted(
      'progress.assessed',
      { assessment: 'difficulties', by: 'Officials briefed on the talks' },
      { eventId: randomUUID() },
    );
    const first = await post(talksId, opening);
    expect(first.response.statusCode).toBe(201);
    const { response, emf } = await post(talksId, { events: [development] });
    expect(response.statusCode).toBe(201);
    expect(emf?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'TalksStatus',
        Dimensions: [['service', 'route']],
        Metrics: [
          { Name: 'Submissions', Unit: 'Count' },
          { Name: 'EventsAppended', Unit: 'Count' },
        ],
      },
    ]);
    expect(emf).toMatchObject({ service: 'talks-status', route: 'AppendEvents', Submissions: 1, EventsAppended: 1 });
    expect(emf?._aws.Timestamp).toEqual(expect.any(Number));
  });

  it('count a replay (200): a submission and a replay, nothing appended', async () => {
    const { response, request, emf } = await post(talksId, opening);
    expect(response.statusCode).toBe(200);
    expect(request).toMatchObject({ status: 200, level: 'INFO' });
    expect(metricsOf(emf)).toEqual({ Submissions: 1, Replays: 1 });
  });

  it('count a 409 as a conflict and a refusal, per problem type too', async () => {
    const development = submitted(
      'progress.assessed',
      { assessment: 'difficulties', by: 'Officials briefed on the talks' },
      { eventId: randomUUID() },
    );
    const { response, request, emf } = await post(talksId, development, { 'if-match': '"1"' });
    expect(response.statusCode).toBe(409);
    expect(request).toMatchObject({ status: 409, problem: 'version-mismatch' });
    expect(emf?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      ['service', 'route'],
      ['service', 'route', 'problem'],
    ]);
    expect(emf).toMatchObject({ route: 'AppendEvents', problem: 'version-mismatch' });
    expect(metricsOf(emf)).toEqual({ Refusals: 1, Conflicts: 1 });
  });

  it('count a 500 as a server error, with the stack in the log only', async () => {
    // A function deployed with a table that does not exist: DynamoDB's answer is no problem type of ours.
    const broken = appendEventsController({
      ...store.runtime,
      store: { ...store.ctx, tables: { events: 'no-such-events', state: 'no-such-state' } },
      log: (entry) => logged.push(entry),
    });
    const event = httpEvent({
      method: 'POST',
      path: '/talks/tel-broken/events',
      pathParameters: { talksId: 'tel-broken' },
      body: opened(),
      scopes: ['talks/write'],
    });
    const from = logged.length;
    const response = await broken(event);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/ResourceNotFound|at .*\.ts/);
    const lines = logged.slice(from);
    const error = lines.find((l) => l.message === 'Unhandled error');
    expect(error).toMatchObject({ level: 'ERROR', correlation_id: event.requestContext.requestId });
    expect((error?.error as { stack?: string } | undefined)?.stack).toMatch(/ResourceNotFound[\s\S]*\n\s+at /);
    expect(lines.find((l) => l.message === 'request')).toMatchObject({ level: 'ERROR', status: 500, problem: 'internal' });
    const emf = lines.find((l) => '_aws' in l) as Emf;
    expect(emf).toMatchObject({ problem: 'internal' });
    expect(metricsOf(emf)).toEqual({ Refusals: 1, ServerErrors: 1 });
  });

  it('count a retry: a transaction lost to a version race and decided again', async () => {
    const doc = createDocumentClient({ endpoint: inject('dynamoEndpoint'), credentials: inject('dynamoCredentials') });
    const injector = injectFaults(doc);
    const raced = await createTestStore({ doc });
    const racedAppend = appendEventsController({ ...raced.runtime, log: (entry) => logged.push(entry) });
    const event = () =>
      httpEvent({
        method: 'POST',
        path: '/talks/tel-race/events',
        pathParameters: { talksId: 'tel-race' },
        body: opened(),
        scopes: ['talks/write'],
      });
    injector.plan({ command: 'TransactWriteItems', fault: 'conflict', times: 1 });
    const from = logged.length;
    const response = await racedAppend(event());
    const transactions = injector.attempts.get('TransactWriteItems');
    injector.plan(undefined);
    expect(response.statusCode).toBe(201);
    expect(transactions).toBe(2);
    const emf = logged.slice(from).find((l) => '_aws' in l) as Emf;
    expect(metricsOf(emf)).toEqual({ Submissions: 1, EventsAppended: 1, AppendRetries: 1 });
  });
});
