import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalService } from '../../bin/local/local-service.js';
import { postEvents, startTestService } from '../support/local-test-service.js';
import { cliEnv, runCli } from '../support/run-cli.js';

/**
 * Events stored before the API refused control characters may hold them: the CLI shows them
 * as visible escapes, never as raw bytes a terminal would act on. The event is altered in
 * DynamoDB Local directly, as an old server would have stored it.
 */
let service: LocalService;
const talksId = `esc-${randomUUID().slice(0, 8)}`;
const hostile = '\u001b[31mRED\u001b]0;pwned\u0007 \u009b2J \u202egnp.exe\u202c';
// Raw C0 but tab and newline, DEL, C1, bidi controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

beforeAll(async () => {
  service = await startTestService('esc');
  const response = await postEvents(service, talksId, {
    type: 'talks.opened',
    reportedAt: '2025-01-13T12:00:00Z',
    source: { name: 'Reuters' },
    data: { title: 'Escapes', parties: ['A', 'B'] },
  });
  expect(response.status).toBe(201);
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: inject('dynamoEndpoint'),
      region: 'local',
      credentials: inject('dynamoCredentials'),
    }),
  );
  await doc.send(
    new UpdateCommand({
      TableName: service.tableNames.events,
      Key: { pk: talksId, sk: 1 },
      UpdateExpression: 'SET #source.#name = :name, #source.attribution = :name',
      ExpressionAttributeNames: { '#source': 'source', '#name': 'name' },
      ExpressionAttributeValues: { ':name': hostile },
    }),
  );
});
afterAll(async () => {
  await service?.stop();
});

describe('talks history with an old event holding control characters', () => {
  it('prints them as visible escapes, in the table and with --json', async () => {
    const env = cliEnv({ TALKS_URL: service.url, TALKS_TOKEN: service.token });
    const table = await runCli(['history', talksId], env);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(raw);
    expect(table.stdout).toContain('\\u001b[31mRED\\u001b]0;pwned\\u0007');
    const json = await runCli(['history', talksId, '--json'], env);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(raw);
    // Still JSON, meaning the very characters stored.
    expect(JSON.parse(json.stdout.trim()).source.name).toBe(hostile);
  });
});
