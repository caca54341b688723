import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { anyOperationProblems, buildOpenApiDocument } from '../../functions/http/openapi-document.js';
import { type ProblemSlug, problemCatalog } from '../../functions/http/problem-catalog.js';
import { routeDocs } from '../../functions/http/route-docs.js';
import { requiredScope, routeTable, scopes } from '../../functions/http/routes.js';
import { functionServing } from '../../lib/function-specs.js';

// biome-ignore lint/suspicious/noExplicitAny: walking an arbitrary JSON document
type Json = Record<string, any>;
const repoRoot = join(import.meta.dirname, '../..');
const issuer = 'https://idp.example.org/';
const variants = [
  ['public reads', buildOpenApiDocument({ readsPublic: true })],
  ['private reads', buildOpenApiDocument({ readsPublic: false })],
  ['an external issuer', buildOpenApiDocument({ readsPublic: false, issuer })],
] as [string, Json][];
const operationOf = (document: Json, route: (typeof routeTable)[number]) => document.paths[route.path][route.method.toLowerCase()];
const declaredOn = (operation: Json): Set<string> =>
  new Set(
    Object.values(operation.responses as Json).flatMap((r: Json) => Object.keys(r.content?.['application/problem+json']?.examples ?? {})),
  );

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));

/** Error classes with a fixed slug, by name. */
const classSlugs = new Map<string, string>();
for (const file of walk(join(repoRoot, 'functions'))) {
  for (const [, name, slug] of readFileSync(file, 'utf8').matchAll(/class (\w+) extends \w+ \{[^}]*?slug = '([a-z-]+)'/g))
    classSlugs.set(name as string, slug as string);
}

/** The problem slugs a source file raises: errors constructed, problems answered, rules failed. */
function raisedIn(file: string): Set<string> {
  const source = readFileSync(file, 'utf8');
  const slugs = new Set<string>();
  for (const [, name] of source.matchAll(/new (\w+)\(/g)) {
    const slug = classSlugs.get(name as string);
    if (slug !== undefined) slugs.add(slug);
  }
  for (const pattern of [
    /(?:ConflictError|RuleViolationError)\(\s*'([a-z-]+)'/g,
    /problemResponse\(\s*\d{3},\s*'([a-z-]+)'/g,
    /fail\(\s*'([a-z-]+)'/g,
  ])
    for (const [, slug] of source.matchAll(pattern)) slugs.add(slug as string);
  return slugs;
}

/** The modules a handler loads (value imports, followed through relative paths). */
function reachedFrom(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [resolve(repoRoot, entry)];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, path] of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '(\.[^']+)\.js';/gms))
      todo.push(resolve(dirname(file), `${path}.ts`));
  }
  return [...seen];
}

/**
 * The HTTP layer (functions/http, functions/composition, the local server) is shared by every
 * route: which of its problems a route can get follows from the route's shape, by these rules.
 */
const layerRules: Record<string, (route: (typeof routeTable)[number], readsPublic: boolean) => boolean> = {
  'validation-failed': (route) => {
    const doc = routeDocs[route.id] as Json;
    return route.path.includes('{') || doc.query !== undefined || doc.requestBody !== undefined;
  },
  unauthorized: (route, readsPublic) => requiredScope(route, readsPublic) !== undefined,
  forbidden: (route, readsPublic) => requiredScope(route, readsPublic) !== undefined,
  'unsupported-media-type': (route) => (routeDocs[route.id] as Json).requestBody !== undefined,
  'storage-unavailable': (route) => {
    const tables: { events: string; state: string; feed?: string } = functionServing(route).tables;
    return tables.events !== 'none' || tables.state !== 'none' || (tables.feed ?? 'none') !== 'none';
  },
  'not-found': () => false,
  internal: () => true,
  ...Object.fromEntries(anyOperationProblems.map((slug) => [slug, () => true])),
};
// store-errors.ts turns DynamoDB's failures into storage-unavailable for every function with
// table access: the layer rule below says which routes get it.
const isLayer = (file: string) =>
  /^(functions\/(http|composition)\/|bin\/local\/|functions\/store\/store-errors\.ts$)/.test(relative(repoRoot, file));

describe('the problems each operation declares', () => {
  it.each(variants)('with %s: every problem example is declared by some operation, and every declared one exists', (_, document) => {
    const used = new Set(routeTable.flatMap((route) => [...declaredOn(operationOf(document, route))]));
    expect(Object.keys(document.components.examples).filter((slug) => !used.has(slug))).toEqual([]);
    expect([...used].filter((slug) => document.components.examples[slug] === undefined)).toEqual([]);
    // No operation's: the 405 answers a method the document does not list, the 426 a plain request to the live port.
    expect(
      Object.keys(problemCatalog)
        .filter((slug) => !used.has(slug))
        .sort(),
    ).toEqual(['method-not-allowed', 'upgrade-required']);
  });

  it.each(routeTable.map((route) => [route.id, route] as const))(
    '%s declares every problem its use case, store and domain code can raise',
    (_, route) => {
      const files = reachedFrom(functionServing(route).entry).filter((file) => !isLayer(file));
      expect(files.length).toBeGreaterThan(0);
      const raised = new Set(files.flatMap((file) => [...raisedIn(file)]));
      for (const [, document] of variants) {
        const declared = declaredOn(operationOf(document, route));
        expect([...raised].filter((slug) => !declared.has(slug))).toEqual([]);
      }
    },
  );

  it('declares what the shared HTTP layer raises wherever its rule says a route can get it', () => {
    const layerFiles = [...walk(join(repoRoot, 'functions')), ...walk(join(repoRoot, 'bin/local'))].filter(isLayer);
    const raised = new Set(layerFiles.flatMap((file) => [...raisedIn(file)]));
    expect(raised.size).toBeGreaterThan(5);
    // Answered before any route is chosen (the catalog says which): no operation declares them.
    const beforeRouting = Object.entries(problemCatalog)
      .filter(([, entry]) => 'beforeRouting' in entry)
      .map(([slug]) => slug);
    // A new problem in the layer needs a rule saying which operations can get it.
    expect([...raised].filter((slug) => !(slug in layerRules) && !beforeRouting.includes(slug))).toEqual([]);
    for (const readsPublic of [true, false]) {
      const document = buildOpenApiDocument({ readsPublic });
      for (const route of routeTable) {
        const declared = declaredOn(operationOf(document, route));
        const owed = Object.entries(layerRules)
          .filter(([slug, applies]) => raised.has(slug) && applies(route, readsPublic))
          .map(([slug]) => slug);
        expect({ route: route.id, missing: owed.filter((slug) => !declared.has(slug)) }).toEqual({ route: route.id, missing: [] });
      }
    }
  });

  it('declares each problem under its own status', () => {
    for (const [, document] of variants) {
      for (const route of routeTable) {
        for (const [status, response] of Object.entries(operationOf(document, route).responses as Json)) {
          for (const slug of Object.keys((response as Json).content?.['application/problem+json']?.examples ?? {}))
            expect(problemCatalog[slug as ProblemSlug].status).toBe(Number(status));
        }
      }
    }
  });
});

describe("the document's security and API Gateway's own answers", () => {
  it('documents 429 on every operation as API Gateway throttling answers it: {"message":"Too Many Requests"}, not problem+json', () => {
    for (const [, document] of variants) {
      for (const route of routeTable) {
        const tooMany = operationOf(document, route).responses['429'];
        expect(tooMany.content['application/problem+json']).toBeUndefined();
        expect(tooMany.content['application/json'].example).toEqual({ message: 'Too Many Requests' });
        expect(tooMany.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/GatewayMessage' });
      }
    }
  });

  it("gives 401 and 403 both forms: the function's problem+json and the authorizer's {message}", () => {
    const [, document] = variants[1] as [string, Json];
    const responses = operationOf(document, routeTable.find((r) => r.id === 'AppendEvents') as (typeof routeTable)[number]).responses;
    expect(responses['401'].content['application/json'].example).toEqual({ message: 'Unauthorized' });
    expect(responses['403'].content['application/json'].example).toEqual({ message: 'Forbidden' });
    expect(Object.keys(responses['401'].content['application/problem+json'].examples)).toEqual(['unauthorized']);
  });

  it('with an external issuer, describes the security as OpenID Connect discovery with each operation`s scope', async () => {
    const [, document] = variants[2] as [string, Json];
    expect(document.components.securitySchemes).toEqual({
      oidc: {
        type: 'openIdConnect',
        openIdConnectUrl: 'https://idp.example.org/.well-known/openid-configuration',
        description: expect.stringContaining(scopes.write),
      },
    });
    for (const route of routeTable) {
      const scope = requiredScope(route, false);
      expect(operationOf(document, route).security).toEqual(scope === undefined ? [] : [{ oidc: [scope] }]);
    }
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
  });

  it('without one (the local issuer has no discovery document), a bearer JWT scheme', () => {
    for (const [, document] of variants.slice(0, 2)) {
      expect(Object.keys(document.components.securitySchemes)).toEqual(['bearerAuth']);
      expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    }
    const local = buildOpenApiDocument({ readsPublic: true, issuer: 'urn:talks-status:local' }) as Json;
    expect(Object.keys(local.components.securitySchemes)).toEqual(['bearerAuth']);
  });
});
