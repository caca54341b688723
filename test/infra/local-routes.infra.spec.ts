import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '../../bin/local/ensure-tables.js';
import { localRouteKeys, matchRoute } from '../../bin/local/route-matcher.js';
import { tableDefinitions } from '../../functions/store/table-definitions.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

let outdir: string;
let template: Template;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'talks-local-'));
  const app = projectApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new TalksStatusStack(app, 'TalksStatus'));
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const templateRouteKeys = () =>
  Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) =>
    String((r as { Properties: { RouteKey: string } }).Properties.RouteKey),
  );

describe('the local server and the stack agree', () => {
  it('serves exactly the routes the stack deploys', () => {
    expect([...localRouteKeys()].sort()).toEqual(templateRouteKeys().sort());
  });

  it('dispatches every deployed route key to the route of that key', () => {
    for (const key of templateRouteKeys()) {
      const [method, path] = key.split(' ') as [string, string];
      const concrete = path.replace(/\{[^}]+\}/g, 'some-talks');
      const match = matchRoute(method, concrete);
      expect('route' in match && `${match.route.method} ${match.route.path}`).toBe(key);
    }
  });

  it('creates locally the same key schemas, global and local indexes and streams the template declares', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::Table')).map(
      (t) => (t as { Properties: Record<string, unknown> }).Properties,
    );
    for (const definition of tableDefinitions) {
      const local = createTableInput(definition, definition.id);
      const deployed = tables.filter(
        (t) =>
          isDeepStrictEqual(t.KeySchema, local.KeySchema) &&
          isDeepStrictEqual(t.GlobalSecondaryIndexes ?? [], local.GlobalSecondaryIndexes ?? []) &&
          isDeepStrictEqual(t.LocalSecondaryIndexes ?? [], local.LocalSecondaryIndexes ?? []),
      );
      expect(deployed, definition.id).toHaveLength(1);
      const [table] = deployed;
      expect(new Set((table!.AttributeDefinitions as unknown[]).map((a) => JSON.stringify(a)))).toEqual(
        new Set(local.AttributeDefinitions.map((a) => JSON.stringify(a))),
      );
      expect(Boolean(table!.StreamSpecification)).toBe('StreamSpecification' in local);
    }
  });
});
