import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth, localAudience, localIssuer } from '../../bin/local/local-auth.js';
import { createJwtAuthorizer } from '../../functions/http/jwt-authorizer.js';
import { httpEvent } from '../../harness/http-event.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

type Resource = { Properties: Record<string, unknown> };

/**
 * The local verifier configured from the stack's own authorizer: synthesized with the
 * local issuer and audience as `-c jwtIssuer`/`-c jwtAudience`, the authorizer's
 * JwtConfiguration and each route's AuthorizationScopes are read back from the template,
 * and the development token passes a verifier built from exactly those values.
 */
let outRoot: string;
let template: Template;
let cognito: Template;
const stackWith = (context: Record<string, unknown>) =>
  new TalksStatusStack(
    projectApp({ outdir: mkdtempSync(join(outRoot, 'app-')), context: { 'aws:cdk:bundling-stacks': [], ...context } }),
    'TalksStatus',
  );

beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'talks-authz-'));
  template = Template.fromStack(stackWith({ jwtIssuer: localIssuer, jwtAudience: localAudience, readsPublic: 'false' }));
  cognito = Template.fromStack(stackWith({}));
}, 120_000);
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe("the stack's JWT authorizer and the local one", () => {
  it('read the token from the same place: the Authorization header, Bearer or bare', () => {
    const [authorizer] = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer') as Record<string, Resource>);
    expect(authorizer?.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
  });

  it('accept the development token on every guarded route, configured from the synthesized template', async () => {
    const [authorizer] = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer') as Record<string, Resource>);
    if (authorizer === undefined) throw new Error('the stack has no authorizer');
    const { Issuer, Audience } = authorizer.Properties.JwtConfiguration as { Issuer: string; Audience: string[] };
    const auth = await createLocalAuth();
    const verifier = createJwtAuthorizer({ issuer: Issuer, audience: Audience, keys: auth.keys });
    const token = await auth.issueToken();
    const guarded = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>).filter(
      (r) => r.Properties.AuthorizationType === 'JWT',
    );
    expect(guarded.length).toBeGreaterThanOrEqual(5);
    for (const route of guarded) {
      const [scope] = route.Properties.AuthorizationScopes as string[];
      const event = httpEvent({ path: '/', headers: { authorization: `Bearer ${token}` } });
      expect({ route: route.Properties.RouteKey, denied: await verifier.authorize(event, scope) }).toEqual({
        route: route.Properties.RouteKey,
        denied: undefined,
      });
    }
    // And a verifier for another audience, as the stack for another client, refuses it.
    const other = createJwtAuthorizer({ issuer: Issuer, audience: ['another-client'], keys: auth.keys });
    await expect(other.verify(token)).rejects.toThrow(/audience/);
  });

  it('give the OpenAPI function the issuer its document names (JWT_ISSUER), Cognito or external', () => {
    const environmentOf = (t: Template) =>
      Object.values(t.findResources('AWS::Lambda::Function') as Record<string, Resource>)
        .filter((f) => f.Properties.Description === 'GET /openapi.json')
        .map((f) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables.JWT_ISSUER);
    expect(environmentOf(template)).toEqual([localIssuer]);
    const [poolId] = Object.keys(cognito.findResources('AWS::Cognito::UserPool'));
    expect(environmentOf(cognito)).toEqual([{ 'Fn::GetAtt': [poolId, 'ProviderURL'] }]);
  });
});
