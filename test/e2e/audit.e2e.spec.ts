import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import { type LocalService, repoRoot } from '../../bin/local/local-service.js';
import { json } from '../support/json.js';
import { startTestService } from '../support/local-test-service.js';

let service: LocalService;
let auditor: string;
const scenario = loadScenario();
const talks = `/talks/${scenario.talksId}`;
beforeAll(async () => {
  service = await startTestService('audit', {
    snapshotInterval: 5,
  });
  await loadDemo(service.url, service.token, scenario);
  auditor = await service.auth.issueToken({ scopes: ['talks/audit'] });
});
afterAll(async () => service?.stop());

const api = (path: string, token?: string) =>
  fetch(`${service.url}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
const raw = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'local', credentials: { ...inject('dynamoCredentials') } }),
);

describe('time travel over HTTP', () => {
  it('returns the status right after a version, and as known at a moment', async () => {
    const atFive = await json(api(`${talks}?atVersion=5`));
    expect(atFive).toMatchObject({ version: 5, timeTravel: { mode: 'atVersion', at: 5 } });
    expect(atFive.counts.events).toBe(5);
    const head = await json(api(talks));
    const asOfNow = await json(api(`${talks}?asOf=${encodeURIComponent(head.updatedAt)}`));
    expect(asOfNow.version).toBe(head.version);
    expect((await api(`${talks}?asOf=2000-01-01T00:00:00Z`)).status).toBe(404);
  });

  it('answers what was true at a valid time, including developments reported later', async () => {
    const beforeWeekend = await json(api(`${talks}?validAt=2025-01-10T00:00:00Z`));
    expect(beforeWeekend.deadlines).toEqual([]);
    expect(beforeWeekend.participants.map((p: { name: string }) => p.name)).not.toContain('Steve Witkoff');
    const monday = await json(api(`${talks}?validAt=2025-01-13T12:00:00Z`));
    expect(monday.participants.map((p: { name: string }) => p.name)).toContain('Steve Witkoff');
  });

  it('rejects two time-travel parameters at once and malformed ones, naming them', async () => {
    const both = await api(`${talks}?atVersion=3&asOf=2025-01-13T00:00:00Z`);
    expect(both.status).toBe(400);
    expect((await json(both)).errors.map((e: { field: string }) => e.field).sort()).toEqual(['asOf', 'atVersion']);
    expect((await json(api(`${talks}?validAt=monday`))).errors[0].field).toBe('validAt');
  });
});

describe('the audit route', () => {
  it('needs the audit scope', async () => {
    expect((await api(`${talks}/audit`)).status).toBe(401);
    const writer = await service.auth.issueToken({ scopes: ['talks/write'] });
    expect((await api(`${talks}/audit`, writer)).status).toBe(403);
  });

  it('verifies the demo log, proves a kept digest, then catches tampering and a missing status', async () => {
    const report = await json(api(`${talks}/audit`, auditor));
    expect(report).toMatchObject({ ok: true, checkedEvents: scenario.events.length, gapless: true, hashesLink: true, statusMatches: true });
    const digest = `${report.headVersion}:${report.headHash}`;
    expect((await json(api(`${talks}/audit?expectHead=${digest}`, auditor))).expectHead.verified).toBe(true);
    expect((await api(`${talks}/audit?expectHead=nope`, auditor)).status).toBe(400);

    await raw.send(
      new UpdateCommand({
        TableName: service.tableNames.events,
        Key: { pk: scenario.talksId, sk: 7 },
        UpdateExpression: 'SET reportedAt = :t',
        ExpressionAttributeValues: { ':t': '2025-01-14T00:00:00.000Z' },
      }),
    );
    const tampered = await json(api(`${talks}/audit?expectHead=${digest}`, auditor));
    expect(tampered).toMatchObject({ ok: false, firstProblem: { version: 7, kind: 'hash-mismatch' }, expectHead: { verified: false } });
  });
});

describe('npm run rebuild', () => {
  it('rebuilds a deleted status item from the log with a progress bar', async () => {
    const before = await json(api(talks));
    await raw.send(new DeleteCommand({ TableName: service.tableNames.state, Key: { pk: scenario.talksId, sk: 0 } }));
    expect((await api(talks)).status).toBe(404);
    const env = {
      ...process.env,
      DYNAMODB_ENDPOINT: service.dynamoEndpoint,
      AWS_ACCESS_KEY_ID: service.dynamoCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: service.dynamoCredentials.secretAccessKey,
      EVENTS_TABLE: service.tableNames.events,
      STATE_TABLE: service.tableNames.state,
    };
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), 'bin/rebuild.ts', scenario.talksId],
      { cwd: repoRoot, env },
    );
    expect(stdout).toContain('Rebuilt 1 talks');
    expect(stderr).toMatch(/\[#+\] 1\/1 talks/);
    const after = await json(api(talks));
    // Read a moment later, the view is judged at a later now: only its moments may differ.
    const unjudged = (s: typeof after) => ({
      ...s,
      readAt: undefined,
      judgedAt: undefined,
      momentum: { ...s.momentum, at: undefined, window: undefined },
    });
    expect(unjudged(after)).toEqual(unjudged(before));
  });
});
