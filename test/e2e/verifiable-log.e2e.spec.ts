import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import { type LocalService, startLocalService } from '../../bin/local/local-service.js';
import { localKeyFile } from '../../bin/local/local-signer.js';
import { identifySubmission, stamp } from '../../functions/domain/decide-append.js';
import { foldLive } from '../../functions/domain/replay-policy.js';
import type { StoredEvent } from '../../functions/domain/submitted-event.js';
import { toEventItem } from '../../functions/store/item-keys.js';
import { fromStatusRecord, toStatusRecord } from '../../functions/store/status-codec.js';
import { submitted } from '../support/event-builders.js';
import { cliEnv, runCli } from '../support/run-cli.js';

/**
 * The verifiable log end to end: the routes over real HTTP from the local server (its key
 * file in its data dir), the CLI's checkpoint, verify and proof commands, and the attack of
 * issue 12 done to DynamoDB Local behind the server's back.
 */
let service: LocalService;
const scenario = loadScenario();
const talksId = scenario.talksId;
const dir = mkdtempSync(join(tmpdir(), 'talks-tree-'));
const dataDir = join(dir, 'data');
const file = (name: string) => join(dir, name);
const env = () => cliEnv({ TALKS_URL: service.url, TALKS_TOKEN: service.token });
const get = (path: string) => fetch(`${service.url}${path}`);
let head: number;

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 8);
  service = await startLocalService({
    port: 0,
    dataDir,
    dynamoEndpoint: inject('dynamoEndpoint'),
    dynamoCredentials: inject('dynamoCredentials'),
    tableNames: { events: `tree-events-${suffix}`, state: `tree-state-${suffix}` },
    feed: false,
  });
  await loadDemo(service.url, service.token, scenario);
  head = ((await (await get(`/talks/${talksId}`)).json()) as { version: number }).version;
});
afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the routes', () => {
  it('serve the latest checkpoint (live) and one at a fixed size (immutable), signed by the key in the data dir', async () => {
    expect(statSync(localKeyFile(dataDir)).mode & 0o777).toBe(0o600);
    const latest = await get(`/talks/${talksId}/checkpoint`);
    expect(latest.status).toBe(200);
    expect(latest.headers.get('cache-control')).toMatch(/max-age=5,/);
    expect(await latest.json()).toMatchObject({ talksId, treeSize: head, rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const fixed = await get(`/talks/${talksId}/checkpoint?treeSize=${head}`);
    expect(fixed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const jwks = (await (await get('/.well-known/jwks.json')).json()) as { keys: { kid: string; kty: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });

  it('answer bad sizes with a 400 naming the parameter, and sizes beyond the head with a 404', async () => {
    const cases: [string, number, string | undefined][] = [
      [`/talks/${talksId}/checkpoint?treeSize=abc`, 400, 'treeSize'],
      [`/talks/${talksId}/checkpoint?treeSize=${head + 1}`, 404, undefined],
      [`/talks/${talksId}/proofs/inclusion?treeSize=3`, 400, 'version'],
      [`/talks/${talksId}/proofs/inclusion?version=4&treeSize=3`, 400, 'version'],
      [`/talks/${talksId}/proofs/inclusion?version=1&treeSize=${head + 1}`, 404, undefined],
      [`/talks/${talksId}/proofs/consistency?from=0&to=3`, 400, 'from'],
      [`/talks/${talksId}/proofs/consistency?from=5&to=3`, 400, 'from'],
      [`/talks/${talksId}/proofs/consistency?from=1&to=${head + 1}`, 404, undefined],
      ['/talks/nobody-here/checkpoint', 404, undefined],
    ];
    for (const [path, status, field] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type'), path).toContain('application/problem+json');
      const body = (await response.json()) as { errors?: { field: string }[] };
      if (field !== undefined)
        expect(
          body.errors?.map((e) => e.field),
          path,
        ).toContain(field);
    }
    const proof = await get(`/talks/${talksId}/proofs/inclusion?version=2&treeSize=${head}`);
    expect(proof.status).toBe(200);
    expect(proof.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await proof.json()).toMatchObject({ version: 2, leafIndex: 1, treeSize: head, path: expect.any(Array) });
  });
});

describe('the CLI', () => {
  it('prints the checkpoint, --json exactly as the API answers it, and verifies an export against it', async () => {
    const run = await runCli(['checkpoint', talksId, '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(await (await get(`/talks/${talksId}/checkpoint`)).text());
    writeFileSync(file('checkpoint.json'), run.stdout);
    const human = await runCli(['checkpoint', talksId], env());
    expect(human.stdout).toContain(`Tree size    ${head}`);
    expect(human.stdout).toContain('signature OK');
    expect((await runCli(['export', talksId, '--output', file('export.jsonl')], env())).code).toBe(0);
    const verified = await runCli(['verify', file('export.jsonl'), '--checkpoint', file('checkpoint.json')], env());
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('OK');
  });

  it('fetches and verifies inclusion and consistency proofs', async () => {
    const inclusion = await runCli(['proof', 'inclusion', talksId, '--version', '3', '--checkpoint', file('checkpoint.json')], env());
    expect(inclusion.code, inclusion.stderr).toBe(0);
    expect(inclusion.stdout).toContain('Inclusion of');
    const more = await fetch(`${service.url}/talks/${talksId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
      body: JSON.stringify(submitted('talks.stalled', { reason: 'No reply' })),
    });
    expect(more.status).toBe(201);
    const consistency = await runCli(['proof', 'consistency', talksId, '--old', file('checkpoint.json')], env());
    expect(consistency.code, consistency.stderr).toBe(0);
    expect(consistency.stdout).toContain('the log only grew');
    expect(consistency.stdout).toContain(`To           size ${head + 1}`);
    const bad = await runCli(['proof', 'inclusion', talksId, '--version', '3'], env());
    expect(bad.code).toBe(2);
  });

  it('fails verify and the audit (exit 9) after the attack: an event put behind the API, the status rewritten', async () => {
    const client = new DynamoDBClient({ endpoint: service.dynamoEndpoint, region: 'local', credentials: { ...service.dynamoCredentials } });
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const statusKey = { pk: talksId, sk: 0 };
    const current = fromStatusRecord((await doc.send(new GetCommand({ TableName: service.tableNames.state, Key: statusKey }))).Item!);
    const events = identifySubmission([submitted('talks.collapsed', { reason: 'Both delegations left' })], randomUUID);
    const [forged] = stamp(talksId, current.status, events, { now: new Date(), principal: 'attacker' }) as [StoredEvent];
    await doc.send(new PutCommand({ TableName: service.tableNames.events, Item: toEventItem(forged) }));
    const { frontier: _f, ...status } = { ...current, ...toStatusRecord(foldLive(current.status, forged), 'forged') };
    await doc.send(new PutCommand({ TableName: service.tableNames.state, Item: status }));
    client.destroy();

    expect((await runCli(['export', talksId, '--output', file('forged.jsonl')], env())).code).toBe(0);
    const verified = await runCli(['verify', file('forged.jsonl'), '--checkpoint', file('checkpoint.json')], env());
    expect(verified.code).toBe(9);
    expect(verified.stderr).toContain(`first version not covered: ${head + 1}`);
    const audit = await runCli(['audit', talksId, '--json'], env());
    expect(audit.code).toBe(9);
    const report = JSON.parse(audit.stdout) as { ok: boolean; checkpoints: { firstUncovered: number; coveredThrough: number } };
    expect(report.ok).toBe(false);
    expect(report.checkpoints).toMatchObject({ coveredThrough: head + 1, firstUncovered: head + 2 });
    expect(readFileSync(file('forged.jsonl'), 'utf8')).toContain('talks.collapsed');
  });
});
