import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { type LocalService, type LocalServiceOptions, startLocalService } from '../../bin/local/local-service.js';
import { createDocumentClient } from '../../functions/composition/runtime.js';
import type { StoreContext } from '../../functions/store/store-context.js';
import { testCheckpointKeys } from './test-store.js';

/**
 * The local server on the run's DynamoDB Local (its credentials pick the run's database),
 * on fresh tables named after the suite unless `tableNames` says which to share, on a free port.
 * Without its change feed unless `feed: true`: each feed polls DynamoDB Local's stream all the
 * time, and only suites of webhooks, live updates and `history --follow` need one.
 */
export function startTestService(prefix: string, options: LocalServiceOptions = {}): Promise<LocalService> {
  const suffix = randomUUID().slice(0, 8);
  return startLocalService({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    dynamoCredentials: inject('dynamoCredentials'),
    tableNames: { events: `${prefix}-events-${suffix}`, state: `${prefix}-state-${suffix}` },
    feed: false,
    ...options,
  });
}

/** POSTs a submission (one event, or `{events: [...]}`) to a talks, with the service's development token unless the headers say otherwise. */
export function postEvents(
  service: Pick<LocalService, 'url' | 'token'>,
  talksId: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${service.url}/talks/${encodeURIComponent(talksId)}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}`, ...headers },
    body: JSON.stringify(body),
  });
}

/** A store context on a running service's tables, for what a suite must write or read behind the API. */
export function storeOf(service: LocalService, overrides: Partial<StoreContext> = {}): StoreContext {
  return {
    doc: createDocumentClient({ endpoint: service.dynamoEndpoint, credentials: service.dynamoCredentials }),
    tables: service.tableNames,
    snapshotInterval: 50,
    maxAppendAttempts: 40,
    now: () => new Date(),
    newId: randomUUID,
    checkpoints: testCheckpointKeys,
    ...overrides,
  };
}
