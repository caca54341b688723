import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '../../bin/local/ensure-tables.js';
import { repoRoot } from '../../bin/local/local-service.js';
import { localRouteKeys, matchRoute } from '../../bin/local/route-matcher.js';
import { controllers } from '../../functions/controllers/index.js';
import { routeDocs } from '../../functions/http/route-docs.js';
import { allRoutes, routeTable } from '../../functions/http/routes.js';
import { tableDefinitions } from '../../functions/store/table-definitions.js';
import { type FunctionSpec, functionServing, functionSpecs } from '../../lib/function-specs.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { httpApiResources, projectApp } from '../support/cdk-app.js';

let outdir: string;
let template: Template;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'talks-local-'));
  const app = projectApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new TalksStatusStack(app, 'TalksStatus'));
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const templateRouteKeys = () =>
  Object.values(httpApiResources(template, 'AWS::ApiGatewayV2::Route')).map((r) =>
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
          isDeepStrictEqual(t.LocalSecondaryIndexes ?? [], local.LocalSecondaryIndexes ?? []) &&
          // The key types too: the live updates' connections table has the same key names.
          isDeepStrictEqual(
            new Set((t.AttributeDefinitions as unknown[]).map((a) => JSON.stringify(a))),
            new Set(local.AttributeDefinitions.map((a) => JSON.stringify(a))),
          ),
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

/** The factory a Lambda entry calls, read from its source and imported from where it says. */
async function factoryOfEntry(entry: string): Promise<{ name: string; factory: unknown }> {
  const path = join(repoRoot, entry);
  const source = readFileSync(path, 'utf8');
  const call = /^export const handler = (\w+)\(/m.exec(source);
  if (call === null) throw new Error(`${entry} does not export a handler built by a factory`);
  const name = call[1] ?? '';
  const from = new RegExp(`^import \\{ ${name} \\} from '([^']+)';$`, 'm').exec(source);
  if (from === null) throw new Error(`${entry} does not import ${name}`);
  const module = (await import(pathToFileURL(resolve(dirname(path), (from[1] ?? '').replace(/\.js$/, '.ts'))).href)) as Record<
    string,
    unknown
  >;
  return { name, factory: module[name] };
}

describe('the local server and the Lambda entries wire the same controllers', () => {
  it.each(allRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: its deployed entry builds the controller the local server calls',
    async (key, route) => {
      expect(templateRouteKeys()).toContain(key);
      const { entry } = functionServing(route);
      const { name, factory } = await factoryOfEntry(entry);
      expect(typeof factory, `${entry} calls ${name}`).toBe('function');
      expect(factory === controllers[route.id], `${entry} calls ${name}, the local server ${controllers[route.id].name}`).toBe(true);
    },
  );

  it('has a controller for every route and a function for every controller', () => {
    expect(Object.keys(controllers).sort()).toEqual(allRoutes.map((r) => r.id).sort());
    const served = (functionSpecs as readonly FunctionSpec[]).flatMap((spec) => spec.routes.map((r) => r.id));
    expect([...served].sort()).toEqual(allRoutes.map((r) => r.id).sort());
  });

  it('documents storage-unavailable on exactly the routes whose function touches a table', () => {
    for (const route of routeTable) {
      const { tables } = functionServing(route);
      const documented = (routeDocs[route.id].problems as readonly string[]).includes('storage-unavailable');
      expect(documented, route.id).toBe(tables.events !== 'none' || tables.state !== 'none' || (tables.feed ?? 'none') !== 'none');
    }
  });
});
