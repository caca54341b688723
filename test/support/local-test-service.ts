import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { type LocalService, type LocalServiceOptions, startLocalService } from '../../bin/local/local-service.js';

/**
 * The local server on the run's DynamoDB Local (its credentials pick the run's database),
 * on fresh tables named after the suite unless `tableNames` says which to share, on a free port.
 */
export function startTestService(prefix: string, options: LocalServiceOptions = {}): Promise<LocalService> {
  const suffix = randomUUID().slice(0, 8);
  return startLocalService({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    dynamoCredentials: inject('dynamoCredentials'),
    tableNames: { events: `${prefix}-events-${suffix}`, state: `${prefix}-state-${suffix}` },
    ...options,
  });
}
