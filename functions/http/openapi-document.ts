import * as z from 'zod';
import { sourceSchema, talksIdSchema, termsSchema } from '../domain/common-schemas.js';
import { type EventType, eventCatalog } from '../domain/event-catalog.js';
import { submittedEventSchema, submittedEventVariants } from '../domain/submitted-event.js';
import {
  createdSubscriptionSchema,
  deliveriesPageSchema,
  subscriptionIdSchema,
  subscriptionRequestSchema,
  subscriptionSchema,
} from '../webhooks/subscription-schemas.js';
import { type ProblemSlug, problemCatalog, problemExample } from './problem-catalog.js';
import {
  appendResultSchema,
  auditReportSchema,
  checkpointSchema,
  consistencyProofSchema,
  historyPageSchema,
  inclusionProofSchema,
  jwksSchema,
  problemSchema,
  statusSchema,
  storedEventSchema,
  talksListSchema,
} from './response-schemas.js';
import { documentedBatchSchema, type RouteDoc, routeDocs } from './route-docs.js';
import { type RouteDefinition, type RouteId, requiredScope, routeTable, scopes } from './routes.js';
import { boundDateTimes, outsideYearsComponent, outsideYearsSchema } from './time-bounds.js';

/**
 * The OpenAPI 3.1 document, generated from the zod schemas that validate requests (and the
 * response schemas tied to the handlers' types). Named schemas become components, so
 * generated clients get one type per event and per event's data.
 */
export const apiVersion = '1.0.0';
type Json = Record<string, unknown>;
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const pascal = (type: string) =>
  type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** A data schema shared by several types (talks.stalled, .suspended, ...) is named once. */
function dataSchemaNames(): Map<z.core.$ZodType, string> {
  const byschema = new Map<z.core.$ZodType, EventType[]>();
  for (const [type, entry] of Object.entries(eventCatalog) as [EventType, (typeof eventCatalog)[EventType]][]) {
    byschema.set(entry.data, [...(byschema.get(entry.data) ?? []), type]);
  }
  return new Map(
    [...byschema].map(([schema, types]) => [
      schema,
      types.length === 1 ? `${pascal(types[0] ?? '')}Data` : `${pascal(types[0]?.split('.')[0] ?? '')}TransitionData`,
    ]),
  );
}

/**
 * The server refuses a `__proto__` key anywhere in a body (json-guard.ts): records (maps with
 * free keys) say so in their `propertyNames`, so that what the document allows is accepted.
 */
function refuseReservedKeys(schema: unknown): void {
  if (Array.isArray(schema)) {
    for (const item of schema) refuseReservedKeys(item);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as Json;
  for (const value of Object.values(node)) refuseReservedKeys(value);
  const keys = node.type === 'object' && node.properties === undefined && node.additionalProperties !== undefined;
  if (!keys) return;
  const reserved = { not: { const: '__proto__' } };
  const names = node.propertyNames as Json | undefined;
  node.propertyNames = names === undefined ? reserved : names.not === undefined ? { ...names, ...reserved } : { allOf: [names, reserved] };
}

function componentSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  const add = (schema: z.core.$ZodType, id: string) => registry.add(schema, { id });
  for (const [schema, id] of dataSchemaNames()) add(schema, id);
  const variantIds: Record<string, string> = {};
  for (const variant of submittedEventVariants) {
    const type = variant.shape.type._zod.def.values[0] as string;
    variantIds[type] = `${pascal(type)}Event`;
    add(variant, variantIds[type]);
  }
  const storedIds: Record<string, string> = {};
  for (const variant of storedEventSchema.options) {
    const type = variant.shape.type._zod.def.values[0] as string;
    storedIds[type] = `Stored${pascal(type)}Event`;
    add(variant, storedIds[type]);
  }
  add(submittedEventSchema, 'SubmittedEvent');
  add(documentedBatchSchema, 'EventBatch');
  add(storedEventSchema, 'StoredEvent');
  add(sourceSchema, 'Source');
  add(termsSchema, 'Terms');
  add(statusSchema, 'TalksStatus');
  add(talksListSchema, 'TalksList');
  add(historyPageSchema, 'HistoryPage');
  add(appendResultSchema, 'AppendResult');
  add(auditReportSchema, 'AuditReport');
  add(checkpointSchema, 'Checkpoint');
  add(jwksSchema, 'Jwks');
  add(inclusionProofSchema, 'InclusionProof');
  add(consistencyProofSchema, 'ConsistencyProof');
  add(problemSchema, 'Problem');
  add(subscriptionRequestSchema, 'SubscriptionRequest');
  add(subscriptionSchema, 'Subscription');
  add(createdSubscriptionSchema, 'CreatedSubscription');
  add(deliveriesPageSchema, 'DeliveriesPage');
  // Requests are described as clients send them: defaults optional, times with offsets.
  const { schemas } = z.toJSONSchema(registry, { io: 'input', target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  // Components live in the document: a `$id` (let alone one with a fragment) would re-base their refs.
  for (const schema of Object.values(schemas)) {
    delete (schema as Json).$schema;
    delete (schema as Json).$id;
  }
  const discriminate = (id: string, ids: Record<string, string>) => {
    const mapping = Object.fromEntries(Object.entries(ids).map(([type, variantId]) => [type, ref(variantId).$ref]));
    (schemas[id] as Json).discriminator = { propertyName: 'type', mapping };
  };
  discriminate('SubmittedEvent', variantIds);
  discriminate('StoredEvent', storedIds);
  for (const schema of Object.values(schemas)) refuseReservedKeys(schema as Json);
  return schemas as Record<string, Json>;
}

/** A query parameter as a client sees it: its parsed type when JSON Schema can say it. */
function parameterSchema(schema: z.core.$ZodType): Json {
  let json: Json;
  try {
    json = z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12' }) as Json;
  } catch {
    // A transform (an ISO time normalised to UTC) has no output schema: describe the input.
    json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Json;
  }
  delete json.$schema;
  return json;
}

const pathParameters: Record<string, { schema: z.core.$ZodType; description: string }> = {
  talksId: { schema: talksIdSchema, description: 'The talks id, chosen by whoever opened it' },
  subscriptionId: { schema: subscriptionIdSchema, description: 'The subscription id, as POST /subscriptions answered it' },
};

function parameters(route: RouteDefinition, doc: RouteDoc): Json[] {
  const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
    const param = name === undefined ? undefined : pathParameters[name];
    if (param === undefined) throw new Error(`No documentation for path parameter ${name} of ${route.id}`);
    return { name, in: 'path', required: true, description: param.description, schema: parameterSchema(param.schema) };
  });
  const inQuery = Object.entries(doc.query ?? {}).map(([name, zodSchema]) => {
    const { description, ...schema } = parameterSchema(zodSchema as z.core.$ZodType);
    return {
      name,
      in: 'query',
      required: !z.safeParse(zodSchema as z.core.$ZodType, undefined).success,
      ...(description === undefined ? {} : { description }),
      schema,
      // `types=a,b`: arrays arrive comma-separated in one parameter.
      ...(schema.type === 'array' ? { style: 'form', explode: false } : {}),
    };
  });
  const headers = Object.entries(doc.requestHeaders ?? {}).map(([name, h]) => ({
    name,
    in: 'header',
    required: false,
    description: h.description,
    schema: { type: 'string' },
    ...(h.example === undefined ? {} : { example: h.example }),
  }));
  return [...inPath, ...inQuery, ...headers];
}

/**
 * Problems the local server's HTTP layer can answer to a request for any operation, before
 * its function runs (on AWS, API Gateway answers such requests itself, in its own words):
 * an unparsable URL, malformed HTTP, a request too slow to arrive, headers or a body too large.
 */
export const anyOperationProblems = [
  'bad-request',
  'malformed-request',
  'request-timeout',
  'headers-too-large',
  'payload-too-large',
] as const satisfies readonly ProblemSlug[];

/** The problem types a route can answer with: its own, and those its shape implies. */
export function routeProblems(route: RouteDefinition, doc: RouteDoc, readsPublic: boolean): ProblemSlug[] {
  const slugs = new Set<ProblemSlug>([...doc.problems, ...anyOperationProblems]);
  if (route.path.includes('{') || doc.query !== undefined || doc.requestBody !== undefined || doc.requestHeaders !== undefined)
    slugs.add('validation-failed');
  if (requiredScope(route, readsPublic) !== undefined) for (const s of ['unauthorized', 'forbidden'] as const) slugs.add(s);
  slugs.add('internal');
  return [...slugs];
}

/**
 * What API Gateway itself answers, before any function runs: `{"message": "..."}` as
 * application/json, not problem+json. The stage's throttling (429) applies to every route;
 * the JWT authorizer's refusals (401, 403) to every route that needs a scope.
 */
const gatewayAnswers = {
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
} as const;
const gatewayContent = (status: keyof typeof gatewayAnswers) => ({
  'application/json': { schema: ref('GatewayMessage'), example: { message: gatewayAnswers[status] } },
});
const gatewayMessageSchema: Json = {
  type: 'object',
  description: "API Gateway's own answer (throttling, the JWT authorizer's refusals): not problem+json",
  properties: { message: { type: 'string' } },
  required: ['message'],
};

function responses(route: RouteDefinition, doc: RouteDoc, readsPublic: boolean): Json {
  const out: Json = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    out[status] = {
      description: r.description,
      ...(r.headers === undefined
        ? {}
        : {
            headers: Object.fromEntries(
              Object.entries(r.headers).map(([name, h]) => [name, { description: h.description, schema: { type: 'string' } }]),
            ),
          }),
      ...(status === '304' || status === '204'
        ? {}
        : { content: { 'application/json': { schema: r.schema === undefined ? { type: 'object' } : ref(schemaIdOf(r.schema)) } } }),
    };
  }
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of routeProblems(route, doc, readsPublic))
    byStatus.set(problemCatalog[slug].status, [...(byStatus.get(problemCatalog[slug].status) ?? []), slug]);
  for (const [status, slugs] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: slugs.map((s) => `\`${s}\`: ${problemCatalog[s].description}`).join('; '),
      ...(status === 503
        ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'string' } } } }
        : {}),
      content: {
        'application/problem+json': {
          schema: ref('Problem'),
          examples: Object.fromEntries(slugs.map((s) => [s, { $ref: `#/components/examples/${s}` }])),
        },
        // On AWS the authorizer refuses before the function (which checks again, in problem+json).
        ...(status === 401 || status === 403 ? gatewayContent(status) : {}),
      },
    };
  }
  out['429'] = {
    description:
      "API Gateway's throttling of the stage (50 requests/s, bursts of 100) on AWS; the local server does not throttle. Not problem+json.",
    content: gatewayContent(429),
  };
  return out;
}

const responseIds = new Map<z.core.$ZodType, string>([
  [statusSchema, 'TalksStatus'],
  [talksListSchema, 'TalksList'],
  [historyPageSchema, 'HistoryPage'],
  [appendResultSchema, 'AppendResult'],
  [auditReportSchema, 'AuditReport'],
  [createdSubscriptionSchema, 'CreatedSubscription'],
  [deliveriesPageSchema, 'DeliveriesPage'],
  [checkpointSchema, 'Checkpoint'],
  [jwksSchema, 'Jwks'],
  [inclusionProofSchema, 'InclusionProof'],
  [consistencyProofSchema, 'ConsistencyProof'],
]);
function schemaIdOf(schema: z.core.$ZodType): string {
  const id = responseIds.get(schema);
  if (id === undefined) throw new Error('A response schema is not a named component');
  return id;
}

/** With an identity provider's URL, clients discover its token endpoint; else a plain bearer token. */
const securityScheme = (issuer: string | undefined): { name: string; scheme: Json } => {
  const scopeList = `\`${scopes.read}\` (reads, when they are private), \`${scopes.write}\` (appends), \`${scopes.audit}\` (audits), \`${scopes.subscribe}\` (webhook subscriptions)`;
  if (issuer !== undefined && /^https?:\/\//.test(issuer)) {
    return {
      name: 'oidc',
      scheme: {
        type: 'openIdConnect',
        openIdConnectUrl: `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
        description: `OAuth 2.0 access tokens (JWT, RSA-signed) from ${issuer}, obtained with the client-credentials grant; scopes: ${scopeList}, in \`scope\` or \`scp\`.`,
      },
    };
  }
  return {
    name: 'bearerAuth',
    scheme: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: `An OAuth 2.0 access token (JWT, RSA-signed, with a kid) whose \`scope\` or \`scp\` claim carries ${scopeList}`,
    },
  };
};

function operation(route: RouteDefinition, readsPublic: boolean, securityName: string): Json {
  const doc: RouteDoc | undefined = (routeDocs as Record<string, RouteDoc>)[route.id as RouteId];
  if (doc === undefined) throw new Error(`Route ${route.id} has no OpenAPI documentation in route-docs.ts`);
  const scope = requiredScope(route, readsPublic);
  const params = parameters(route, doc);
  return {
    operationId: route.id.charAt(0).toLowerCase() + route.id.slice(1),
    summary: doc.summary,
    description: doc.description,
    tags: [doc.tag],
    ...(params.length === 0 ? {} : { parameters: params }),
    ...(doc.requestBody === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            description: doc.requestBody.description,
            content: { 'application/json': { schema: { oneOf: [ref('SubmittedEvent'), ref('EventBatch')] } } },
          },
        }),
    responses: responses(route, doc, readsPublic),
    security: scope === undefined ? [] : [{ [securityName]: [scope] }],
  };
}

export interface OpenApiOptions {
  /** As the deployment is configured: decides which operations need a token. */
  readsPublic: boolean;
  /** Where this API is served, e.g. http://127.0.0.1:3000. */
  serverUrl?: string;
  /** The issuer the JWT authorizer trusts; an http(s) one is described by its OIDC discovery document. */
  issuer?: string;
}

export function buildOpenApiDocument(options: OpenApiOptions): Json {
  const paths: Record<string, Json> = {};
  const security = securityScheme(options.issuer);
  for (const route of routeTable) {
    paths[route.path] ??= {};
    (paths[route.path] as Json)[route.method.toLowerCase()] = operation(route, options.readsPublic, security.name);
  }
  // An example component for each problem some operation declares, and for no other.
  const declared = new Set(routeTable.flatMap((route) => routeProblems(route, routeDocs[route.id as RouteId], options.readsPublic)));
  const problemList = (Object.keys(problemCatalog) as ProblemSlug[])
    .map(
      (s) =>
        `| \`/problems/${s}\` | ${problemCatalog[s].status} | ${problemCatalog[s].description}${declared.has(s) ? '' : ' (not an answer of any operation: a method this document does not list)'} |`,
    )
    .join('\n');
  const schemas: Record<string, Json> = { ...componentSchemas(), GatewayMessage: gatewayMessageSchema };
  // Every date-time, in bodies and parameters alike, excludes what isoTime refuses for its year.
  boundDateTimes(schemas);
  boundDateTimes(paths);
  schemas[outsideYearsComponent] = outsideYearsSchema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Talks status API',
      version: apiVersion,
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'An event-sourced store of the status of negotiations. Submit reported developments as events; read the projected status, now or as of any past moment; page through the hash-chained history; audit it.\n\n' +
        `Errors are \`application/problem+json\` (RFC 9457). Problem types:\n\n| type | status | meaning |\n| --- | --- | --- |\n${problemList}`,
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    tags: [
      { name: 'Talks', description: 'Submit developments and read status and history' },
      { name: 'Audit', description: 'Verification of the log (scope talks/audit)' },
      { name: 'Meta', description: 'About the API itself' },
      { name: 'Webhooks', description: 'Signed deliveries of every stored change (scope talks/subscribe)' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: { [security.name]: security.scheme },
      examples: Object.fromEntries([...declared].map((s) => [s, { summary: problemCatalog[s].description, value: problemExample(s) }])),
    },
  };
}
