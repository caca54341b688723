import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getOpenApiController } from '../../functions/controllers/get-openapi-controller.js';
import type { Runtime } from '../../functions/controllers/runtime.js';
import { eventCatalog, eventTypes } from '../../functions/domain/event-catalog.js';
import { submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { buildOpenApiDocument } from '../../functions/http/openapi-document.js';
import { problemCatalog } from '../../functions/http/problem-catalog.js';
import { routeDocs } from '../../functions/http/route-docs.js';
import { routeTable, scopes } from '../../functions/http/routes.js';
import { httpEvent } from '../../harness/http-event.js';
import { componentValidators, describeErrors, metaSchemaErrors } from '../support/openapi-ajv.js';
import { type DevelopmentType, dataArbitraries, envelopeArbitrary } from './event-arbitraries.js';
import { exampleData } from './example-data.js';

// biome-ignore lint/suspicious/noExplicitAny: walking an arbitrary JSON document
type Json = Record<string, any>;
const document = buildOpenApiDocument({ readsPublic: true, serverUrl: 'http://127.0.0.1:3000' }) as Json;
const privateReads = buildOpenApiDocument({ readsPublic: false }) as Json;
const schemaFor = componentValidators(document);
const repoRoot = join(import.meta.dirname, '../..');

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document whose every $ref resolves (checked by a maintained validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
    expect(JSON.stringify(document)).not.toMatch(/__shared|"\$id"/);
  });

  it('has component schemas that are valid JSON Schema 2020-12 (which the OpenAPI schema does not check)', () => {
    const schemas = Object.entries(document.components.schemas) as [string, Json][];
    expect(schemas.length).toBeGreaterThan(2 * eventTypes.length);
    for (const [id, schema] of schemas) expect(metaSchemaErrors(schema), id).toEqual([]);
    expect(metaSchemaErrors({ type: 'strnig' })).not.toEqual([]);
  });

  it('documents every route of the route table, with its parameters', () => {
    for (const route of routeTable) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      const names = (operation.parameters ?? []).map((p: Json) => `${p.in}:${p.name}`);
      for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) expect(names).toContain(`path:${name}`);
      const query = (routeDocs[route.id] as { query?: object }).query ?? {};
      expect(names.filter((n: string) => n.startsWith('query:')).sort()).toEqual(
        Object.keys(query)
          .map((k) => `query:${k}`)
          .sort(),
      );
    }
    const operationIds = Object.values(document.paths).flatMap((item) => Object.values(item as Json).map((op) => (op as Json).operationId));
    expect(new Set(operationIds).size).toBe(routeTable.length);
  });

  it('gives time travel and paging parameters their parsed types', () => {
    const param = (path: string, name: string) => document.paths[path].get.parameters.find((p: Json) => p.name === name);
    expect(param('/talks/{talksId}', 'atVersion').schema).toMatchObject({ type: 'integer', minimum: 1 });
    expect(param('/talks/{talksId}', 'asOf').schema).toMatchObject({ type: 'string', format: 'date-time' });
    expect(param('/talks/{talksId}/events', 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(param('/talks/{talksId}/events', 'types')).toMatchObject({
      style: 'form',
      explode: false,
      schema: { type: 'array', items: { enum: eventTypes } },
    });
  });

  it('names a submitted and a stored schema for every event type, discriminated by type', () => {
    for (const id of ['SubmittedEvent', 'StoredEvent']) {
      expect(Object.keys(document.components.schemas[id].discriminator.mapping).sort()).toEqual([...eventTypes].sort());
    }
    for (const ref of Object.values(document.components.schemas.StoredEvent.discriminator.mapping) as string[]) {
      expect(document.components.schemas[ref.split('/').at(-1)!]).toBeDefined();
    }
  });

  it('accepts exactly what the request schema accepts: an example of every type, and random valid events', () => {
    const validate = schemaFor('SubmittedEvent');
    for (const type of eventTypes) {
      const event = { type, reportedAt: '2025-01-13T12:00:00+02:00', source: { name: 'Reuters' }, data: exampleData[type] };
      expect(submittedEventSchema.safeParse(event).success, type).toBe(true);
      expect(validate(event) ? [] : describeErrors(validate), type).toEqual([]);
    }
    const arbitrary = fc
      .constantFrom(...(Object.keys(dataArbitraries) as DevelopmentType[]))
      .chain((type) => fc.tuple(envelopeArbitrary, dataArbitraries[type]).map(([envelope, data]) => ({ ...envelope, type, data })));
    fc.assert(
      fc.property(arbitrary, (event) => validate(event) === submittedEventSchema.safeParse(event).success),
      { numRuns: 300 },
    );
  });

  it('rejects what the request schema rejects: unknown fields, unknown types, missing data', () => {
    const validate = schemaFor('SubmittedEvent');
    const good = {
      type: 'talks.opened',
      reportedAt: '2025-01-13T12:00:00Z',
      source: { name: 'NBC News' },
      data: exampleData['talks.opened'],
    };
    const bad = [
      { ...good, extra: 1 },
      { ...good, type: 'talks.reopened' },
      { ...good, data: { ...good.data, secret: true } },
      { ...good, data: { title: 'No parties' } },
      { ...good, reportedAt: 'yesterday' },
      { ...good, source: {} },
    ];
    for (const event of bad) {
      expect(submittedEventSchema.safeParse(event).success).toBe(false);
      expect(validate(event), JSON.stringify(event)).toBe(false);
    }
    expect(Object.keys(eventCatalog)).toHaveLength(eventTypes.length);
  });

  it('asks for the right scope on each operation, and never for the document itself', () => {
    const security = (doc: Json, path: string, method: string) => doc.paths[path][method].security;
    expect(security(document, '/talks/{talksId}/events', 'post')).toEqual([{ bearerAuth: [scopes.write] }]);
    expect(security(document, '/talks/{talksId}', 'get')).toEqual([]);
    expect(security(privateReads, '/talks/{talksId}', 'get')).toEqual([{ bearerAuth: [scopes.read] }]);
    expect(privateReads.paths['/talks/{talksId}'].get.responses['401']).toBeDefined();
    expect(document.paths['/talks/{talksId}'].get.responses['401']).toBeUndefined();
    expect(security(privateReads, '/openapi.json', 'get')).toEqual([]);
    expect(security(document, '/talks/{talksId}/audit', 'get')).toEqual([{ bearerAuth: [scopes.audit] }]);
  });

  it('documents every problem type the code can raise, each with an example that is a valid Problem', () => {
    const validate = schemaFor('Problem');
    const raised = new Set<string>();
    const patterns = [
      /slug = '([a-z-]+)'/g,
      /(?:ConflictError|RuleViolationError)\('([a-z-]+)'/g,
      /problemResponse\(\d{3}, '([a-z-]+)'/g,
      /\[\d{3}, '([a-z-]+)'/g,
      /fail\('([a-z-]+)'/g,
    ];
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : [],
      );
    for (const file of [...walk(join(repoRoot, 'functions')), ...walk(join(repoRoot, 'bin'))]) {
      const source = readFileSync(file, 'utf8');
      for (const pattern of patterns) for (const [, slug] of source.matchAll(pattern)) raised.add(slug!);
    }
    expect(raised.size).toBeGreaterThan(10);
    expect([...raised].filter((slug) => !(slug in problemCatalog))).toEqual([]);
    for (const [slug, example] of Object.entries(document.components.examples) as [string, Json][]) {
      expect(example.value.type).toBe(`/problems/${slug}`);
      expect(validate(example.value) ? [] : describeErrors(validate)).toEqual([]);
    }
    const used = new Set(
      JSON.stringify(document.paths)
        .match(/#\/components\/examples\/[a-z-]+/g)
        ?.map((r) => r.split('/').at(-1)),
    );
    const routed = (Object.keys(problemCatalog) as (keyof typeof problemCatalog)[]).filter(
      (slug) => !('beforeRouting' in problemCatalog[slug]),
    );
    expect(routed.filter((slug) => !used.has(slug))).toEqual([]);
  });

  it('is served for the host it was asked on, never echoing a Host header that is not a host', async () => {
    const runtime = { readsArePublic: false, now: () => new Date(), log: () => {} } as unknown as Runtime;
    const serve = getOpenApiController(runtime);
    const servers = async (headers: Record<string, string>) => {
      const response = await serve(httpEvent({ path: '/openapi.json', headers }));
      expect(response.statusCode).toBe(200);
      return (JSON.parse(response.body ?? '{}') as Json).servers;
    };
    expect(await servers({ host: 'abc.execute-api.eu-west-1.amazonaws.com', 'x-forwarded-proto': 'https' })).toEqual([
      { url: 'https://abc.execute-api.eu-west-1.amazonaws.com' },
    ]);
    expect(await servers({ host: '127.0.0.1:3000' })).toEqual([{ url: 'http://127.0.0.1:3000' }]);
    expect(await servers({ host: 'evil.example/"><script>' })).toEqual([{ url: '/' }]);
  });
});
