import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bin/local/dynamodb-local.js';
import { createLocalAuth } from '../../bin/local/local-auth.js';
import { spawnLocalServer } from '../support/npm-start.js';
import { type OidcIssuer, otherResource, startOidcIssuer, talksResource } from '../support/oidc-issuer.js';
import { opening } from './support/trust-service.js';

/**
 * Bring your own identity provider, end to end: a real OpenID provider (`oidc-provider`)
 * on loopback issues client-credentials access tokens, and `npm start -- --issuer ...
 * --audience ...` finds its keys by OIDC discovery and accepts exactly the tokens API
 * Gateway's authorizer would, configured with `-c jwtIssuer`/`-c jwtAudience` alike.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'talks-byo-'));
const children: ChildProcess[] = [];
let idp: OidcIssuer;
let url: string;
let output = '';

function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const server = spawnLocalServer(['--quiet', '--no-feed', ...args], { ...process.env, ...env });
  children.push(server.child);
  return server;
}
const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

beforeAll(async () => {
  idp = await startOidcIssuer();
  // A development token left by an earlier start must not linger for the CLI to send.
  writeFileSync(join(dataDir, 'dev-token'), 'stale\n');
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // The issuer as a flag, the audience from the environment: both ways are read.
  const server = run(['--port', String(port), '--data-dir', dataDir, '--issuer', idp.issuer], { TALKS_JWT_AUDIENCE: talksResource });
  const deadline = Date.now() + 90_000;
  while (!server.output().includes('listening on')) {
    if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  output = server.output();
}, 120_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await exited(child);
    }
  }
  await idp?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (token: string, body: unknown) =>
  fetch(`${url}/talks/byo-talks/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

describe('npm start -- --issuer <url> --audience <aud>', () => {
  it('says which issuer it trusts, prints no development token and leaves none on disk', () => {
    expect(output).toContain(`Access tokens: from ${idp.issuer} (audience ${talksResource})`);
    expect(output).not.toContain('Development token');
    expect(existsSync(join(dataDir, 'dev-token'))).toBe(false);
  });

  it("lands a write with the provider's client-credentials token carrying talks/write (201), recorded by its subject", async () => {
    const token = await idp.token('writer', 'talks/write');
    // What the provider issued is an RFC 9068 access token API Gateway would take.
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: 'test-idp-rs256', typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({ iss: idp.issuer, aud: talksResource, scope: 'talks/write', client_id: 'writer' });
    const response = await post(token, opening('Bring your own IdP'));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { events: { recordedBy: string }[] };
    expect(body.events[0]?.recordedBy).toBe('writer');
  });

  it('refuses its token without talks/write with 403, and one for another audience with 401', async () => {
    const readOnly = await post(await idp.token('reader', 'talks/read'), opening());
    expect(readOnly.status).toBe(403);
    expect(readOnly.headers.get('www-authenticate')).toContain('insufficient_scope');
    const elsewhere = await post(await idp.token('writer', 'talks/write', otherResource), opening());
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { detail: string }).detail).toContain('audience');
  });

  it('refuses the local issuer`s tokens: one authorizer, one issuer, as on AWS', async () => {
    const local = await (await createLocalAuth()).issueToken();
    expect((await post(local, opening())).status).toBe(401);
  });

  it('describes its security in the OpenAPI document as the provider`s OpenID Connect discovery', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
      components: { securitySchemes: Record<string, { type: string; openIdConnectUrl: string }> };
      paths: Record<string, Record<string, { security: unknown }>>;
    };
    expect(document.components.securitySchemes.oidc).toMatchObject({
      type: 'openIdConnect',
      openIdConnectUrl: `${idp.issuer}/.well-known/openid-configuration`,
    });
    expect(document.paths['/talks/{talksId}/events']?.post?.security).toEqual([{ oidc: ['talks/write'] }]);
    const discovery = (await (await fetch(document.components.securitySchemes.oidc?.openIdConnectUrl ?? '')).json()) as Record<
      string,
      unknown
    >;
    expect(discovery.grant_types_supported).toContain('client_credentials');
  });

  it('refuses to start on an issuer it cannot discover, or half a configuration, exiting 2 with the reason', async () => {
    const wrongPath = run(['--port', '0', '--in-memory', '--issuer', `${idp.issuer}/not-an-issuer`, '--audience', talksResource]);
    expect(await exited(wrongPath.child)).toBe(2);
    expect(wrongPath.output()).toContain('OIDC discovery failed');
    const half = run(['--port', '0', '--in-memory', '--issuer', idp.issuer]);
    expect(await exited(half.child)).toBe(2);
    expect(half.output()).toContain('must be given together');
    const plainHttp = run(['--port', '0', '--in-memory', '--issuer', 'http://idp.example.org', '--audience', talksResource]);
    expect(await exited(plainHttp.child)).toBe(2);
    expect(plainHttp.output()).toContain('must be https');
  }, 60_000);
});
