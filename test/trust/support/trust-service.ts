import { isDeepStrictEqual } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalService, LocalServiceOptions } from '../../../bin/local/local-service.js';
import { verifyEventHash } from '../../../functions/domain/hash-chain.js';
import { project } from '../../../functions/domain/project.js';
import { readLog } from '../../../functions/store/read-log.js';
import { readStatusItem } from '../../../functions/store/read-status.js';
import type { StoreContext } from '../../../functions/store/store-context.js';
import { postEvents, startTestService, storeOf } from '../../support/local-test-service.js';

/** The local server on fresh tables of the run's DynamoDB Local, plus a view of its store. */
export interface TrustService {
  service: LocalService;
  store: StoreContext;
  /** POSTs events with the service's token unless told otherwise; returns status and body. */
  post(talksId: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
}

export async function startTrustService(options: LocalServiceOptions = {}): Promise<TrustService> {
  const service = await startTestService('trust', options);
  const store = storeOf(service);
  const post = async (talksId: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await postEvents(service, talksId, body, headers);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { service, store, post };
}

/** Everything stored, in a form two moments can be compared by: item counts and heads. */
export interface Fingerprint {
  events: number;
  state: number;
  heads: Record<string, { version: number; headHash: string }>;
}

async function countItems(store: StoreContext, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.doc.send(
      new ScanCommand({
        TableName: table,
        Select: 'COUNT',
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return count;
}

/** Both tables counted (so a write to any talks shows) and the head of each known talks. */
export async function fingerprint(store: StoreContext, talksIds: readonly string[]): Promise<Fingerprint> {
  const [events, state, items] = await Promise.all([
    countItems(store, store.tables.events),
    countItems(store, store.tables.state),
    Promise.all(talksIds.map((id) => readStatusItem(store, id))),
  ]);
  const heads = Object.fromEntries(
    items.map((item, i) => [talksIds[i] as string, { version: item?.version ?? 0, headHash: item?.status.headHash ?? '' }]),
  );
  return { events, state, heads };
}

/**
 * What must hold of every talks whatever happened: versions 1..n without a gap, every hash
 * verifies and links to the one before, and the stored status equals a replay of the log.
 */
export async function checkTalks(store: StoreContext, talksId: string): Promise<{ versions: number; eventIds: string[] }> {
  const log = await readLog(store, talksId);
  const item = await readStatusItem(store, talksId);
  const problems: string[] = [];
  log.forEach((event, i) => {
    if (event.version !== i + 1) problems.push(`version ${event.version} at position ${i + 1}`);
    if (!verifyEventHash(event)) problems.push(`hash of version ${event.version} does not verify`);
    if (i > 0 && event.prevHash !== log[i - 1]?.hash) problems.push(`version ${event.version} does not link to the one before`);
  });
  if (new Set(log.map((e) => e.eventId)).size !== log.length) problems.push('an event id is stored twice');
  const replayed = JSON.parse(JSON.stringify(project(talksId, log))) as unknown;
  if (log.length === 0 ? item !== undefined : !isDeepStrictEqual(item?.status, replayed))
    problems.push('stored status differs from the replay of the log');
  if (problems.length > 0) throw new Error(`talks ${talksId}: ${problems.join('; ')}`);
  return { versions: log.length, eventIds: log.map((e) => e.eventId) };
}

/** A valid submission of each kind the suites need. */
export const opening = (title = 'Trust talks') => ({
  type: 'talks.opened',
  reportedAt: '2025-01-13T12:00:00Z',
  source: { name: 'Reuters' },
  data: { title, parties: ['Israel', 'Hamas'], mediators: ['Qatar'] },
});
export const assessment = (by = 'A mediator', eventId?: string) => ({
  ...(eventId === undefined ? {} : { eventId }),
  type: 'progress.assessed',
  reportedAt: '2025-01-14T10:00:00Z',
  source: { name: 'AP' },
  data: { assessment: 'some_progress', by },
});
