import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, runtimeFrom } from '../../functions/composition/runtime.js';
import { type ControllerDeps, type ControllerFactory, controllers, type HttpHandler } from '../../functions/controllers/index.js';
import type { FeedSink } from '../../functions/feed/feed-change.js';
import { allowedOrigin, corsPolicy } from '../../functions/http/cors-policy.js';
import type { HttpResponse } from '../../functions/http/http-types.js';
import { createJwtAuthorizer, type JwtAuthorizer } from '../../functions/http/jwt-authorizer.js';
import { discoverIssuerKeys } from '../../functions/http/oidc-discovery.js';
import { problemResponse } from '../../functions/http/problem.js';
import { requiredScope } from '../../functions/http/routes.js';
import { type PublishReport, publishCheckpoints } from '../../functions/publish/publish-checkpoints.js';
import { ensureEventIdAliases } from '../../functions/store/event-id-aliases.js';
import { eventsTable, feedTable, stateTable } from '../../functions/store/table-definitions.js';
import { dispatch } from '../../functions/webhooks/dispatcher.js';
import { MemoryDeliveryQueue } from '../../functions/webhooks/memory-delivery-queue.js';
import { sendWebhook } from '../../functions/webhooks/send-webhook.js';
import { defaultWebhookSettings, type WebhookSettings } from '../../functions/webhooks/webhook-settings.js';
import { webhookSink } from '../../functions/webhooks/webhook-sink.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { type DynamoDbCredentials, type DynamoDbLocal, ensurePrivateDir, localRegion, startDynamoDbLocal } from './dynamodb-local.js';
import { superviseDynamoDbLocal } from './dynamodb-supervisor.js';
import { ensureTables } from './ensure-tables.js';
import { folderArchive, localArchiveDir } from './folder-archive.js';
import {
  answerMalformedRequests,
  BodyTimeoutError,
  BodyTooLargeError,
  bodyUnread,
  ClientGoneError,
  closingConnection,
  declaresTooLargeBody,
  readBody,
  toHttpEvent,
  withBody,
  writeResponse,
} from './http-adapter.js';
import { type LiveServer, startLiveServer } from './live-server.js';
import { createLocalAuth, type LocalAuth, localAudience, localIssuer } from './local-auth.js';
import { createLocalFeed, type LocalFeed } from './local-feed.js';
import { localFeedSinks } from './local-feed-sinks.js';
import { localCheckpointKeys } from './local-signer.js';
import { type ContractRoute, matchRoute } from './route-matcher.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface LocalServiceOptions {
  port?: number;
  host?: string;
  /** Where DynamoDB Local keeps its data and the signing key lives; undefined keeps nothing. */
  dataDir?: string;
  /** Use a DynamoDB Local that is already running instead of starting one... */
  dynamoEndpoint?: string;
  /** ...with the credentials of its database (its access key picks the database). */
  dynamoCredentials?: DynamoDbCredentials;
  /** `feed` defaults to `<events>-feed` (the consumer's checkpoints, webhook subscriptions). */
  tableNames?: { events: string; state: string; feed?: string };
  readsPublic?: boolean;
  /** Origins of browser apps allowed to call the API (see corsPolicy); none by default. */
  corsOrigins?: readonly string[];
  snapshotInterval?: number;
  /**
   * Trust this identity provider instead of the local issuer, as the stack's
   * `-c jwtIssuer`/`-c jwtAudience` do: its keys are found by OIDC discovery, and no
   * development token is minted (one authorizer, one issuer, as on AWS).
   */
  jwt?: { issuer: string; audience: readonly string[] };
  log?: (line: string) => void;
  /** How long a client may take; small values let tests see slow clients cut off. */
  timeouts?: Partial<ConnectionTimeouts>;
  /** The live updates' own port (WebSockets at /live): the API's port + 1 by default, any free one when the API's is 0. */
  livePort?: number;
  /** Downstream paths added to the local server's own (bin/local/local-feed-sinks.ts): tests, the bench. */
  feedSinks?: readonly FeedSink[];
  /** Log every change as the EventBridge bus would get it. */
  logFeed?: boolean;
  /**
   * Whether the change feed reads DynamoDB Local's stream (on by default; `--no-feed`). Off,
   * nothing polls it: webhooks, live updates and `talks history --follow` get no changes
   * until `feed.start()`, which first sweeps up what was appended meanwhile.
   */
  feed?: boolean;
  /** `--allow-private-webhooks`: loopback receivers (http or https) are allowed, for testing. */
  allowPrivateWebhooks?: boolean;
  /** Retry bound, backoff, pausing (functions/webhooks/webhook-settings.ts); tests make them short. */
  webhookSettings?: Partial<Omit<WebhookSettings, 'allowLoopback'>>;
  /**
   * Checkpoints are published to <dataDir>/published this often (the bound on the
   * publication delay; 60 s by default, 0: only when asked). Needs a data dir.
   */
  publishIntervalMs?: number;
}

export interface ConnectionTimeouts {
  /** From the first byte of a request to the end of its headers (slow-loris headers). */
  headersMs: number;
  /** From the first byte of a request to the end of its body. */
  requestMs: number;
  /** Without a byte of the body. */
  bodyIdleMs: number;
  /** A kept-alive connection with no request. */
  keepAliveMs: number;
}

const defaultTimeouts: ConnectionTimeouts = { headersMs: 10_000, requestMs: 30_000, bodyIdleMs: 10_000, keepAliveMs: 5_000 };

export interface LocalService {
  readonly url: string;
  readonly port: number;
  /** The development token; reading it throws when an external issuer is trusted instead. */
  readonly token: string;
  /** The local issuer (it mints the development token, and test tokens). */
  readonly auth: LocalAuth;
  /** What the server checks tokens against. */
  readonly authorizer: JwtAuthorizer;
  readonly dynamoEndpoint: string;
  readonly dynamoCredentials: DynamoDbCredentials;
  readonly tableNames: { events: string; state: string; feed: string };
  /** Live updates: ws://host:port/live, and the hub the feed's consumer delivers to. */
  readonly live: LiveServer;
  /** The change feed: the consumer of DynamoDB Local's stream (stop and start it to simulate an outage). */
  readonly feed: LocalFeed;
  /** Publishes the checkpoints now (what the timer does); undefined without a data dir. */
  publishCheckpoints(): Promise<PublishReport | undefined>;
  stop(): Promise<void>;
}

/**
 * Serves the API locally: node's HTTP server turns each request into the payload v2 event
 * API Gateway would send, checks the bearer token as the JWT authorizer would, and calls
 * the route's controller, built by the very factory its Lambda entry calls, with a runtime
 * made from these options (not from the environment: one process can serve several stores).
 */
/** A DynamoDB Local this start began and no supervisor watches yet: stopped with the start that failed. */
const superviseNothing = async (dynamo: DynamoDbLocal | undefined) => {
  await dynamo?.stop();
};

export async function startLocalService(options: LocalServiceOptions = {}): Promise<LocalService> {
  const log = options.log ?? (() => {});
  // Before anything is started: an issuer that cannot be discovered leaves nothing running.
  const issuerKeys = options.jwt === undefined ? undefined : await discoverIssuerKeys(options.jwt.issuer);
  let lock: DataDirLock | undefined;
  if (options.dataDir !== undefined) {
    ensurePrivateDir(options.dataDir);
    lock = acquireDataDirLock(options.dataDir, 'a talks-status server');
  }
  try {
    return await serveWith(options, log, lock, issuerKeys);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function serveWith(
  options: LocalServiceOptions,
  log: (line: string) => void,
  lock: DataDirLock | undefined,
  issuerKeys: Awaited<ReturnType<typeof discoverIssuerKeys>> | undefined,
): Promise<LocalService> {
  if (options.dynamoEndpoint !== undefined && options.dynamoCredentials === undefined)
    throw new Error('dynamoEndpoint needs dynamoCredentials: DynamoDB Local keeps one database per access key');
  // A key file others can read, or a retired key that is no public key, stops the start before anything runs.
  const checkpoints = localCheckpointKeys(options.dataDir);
  await checkpoints.jwks();
  const dynamo: DynamoDbLocal | undefined =
    options.dynamoEndpoint === undefined
      ? await startDynamoDbLocal(options.dataDir === undefined ? { log } : { dataDir: join(options.dataDir, 'dynamodb'), log })
      : undefined;
  const dynamoEndpoint = options.dynamoEndpoint ?? (dynamo as DynamoDbLocal).endpoint;
  const dynamoCredentials = options.dynamoCredentials ?? (dynamo as DynamoDbLocal).credentials;
  const givenNames = options.tableNames ?? { events: 'talks-events', state: 'talks-state', feed: 'talks-feed' };
  const tableNames = { events: givenNames.events, state: givenNames.state, feed: givenNames.feed ?? `${givenNames.events}-feed` };
  const createTables = async () => {
    const client = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: localRegion,
      credentials: { accessKeyId: dynamoCredentials.accessKeyId, secretAccessKey: dynamoCredentials.secretAccessKey },
    });
    await ensureTables(client, [
      { definition: eventsTable, name: tableNames.events },
      { definition: stateTable, name: tableNames.state },
      { definition: feedTable, name: tableNames.feed },
    ]);
    client.destroy();
  };
  await createTables();

  const readsPublic = options.readsPublic ?? true;
  const runtime = runtimeFrom({
    endpoint: dynamoEndpoint,
    credentials: dynamoCredentials,
    tables: tableNames,
    readsArePublic: readsPublic,
    // Every writer reaches this one process: appends to one talks wait their turn rather
    // than race (a Lambda container serves one request at a time and needs no such queue).
    appendTurns: true,
    // The functions' JSON lines (one per request, warnings, metrics) go where the server's own
    // lines go: stdout under npm start, nowhere with --quiet or in tests unless asked for.
    log: (entry) => log(JSON.stringify({ timestamp: new Date().toISOString(), ...entry })),
    // The OpenAPI document names an external issuer's discovery document (the stack sets the same).
    ...(options.jwt === undefined ? {} : { jwtIssuer: options.jwt.issuer }),
    ...(options.snapshotInterval === undefined ? {} : { snapshotInterval: options.snapshotInterval }),
    checkpoints,
  });
  // Before the first request: a data dir from before event ids were lower-cased gets its aliases.
  const aliases = await ensureEventIdAliases(runtime.store);
  if (aliases !== undefined && aliases.found > 0)
    log(`Event ids stored in upper case: ${aliases.found}, aliased in lower case (${aliases.duplicates.length} stored twice already).`);
  // Its own client: what the feed and the webhooks read is not the API's traffic (the bench meters the API's).
  const feedDoc = createDocumentClient({ endpoint: dynamoEndpoint, credentials: dynamoCredentials });
  const feedContext = { doc: feedDoc, table: tableNames.feed, now: () => new Date() };
  const webhookSettings: WebhookSettings = {
    ...defaultWebhookSettings,
    ...options.webhookSettings,
    allowLoopback: options.allowPrivateWebhooks === true,
  };
  const deliveries = new MemoryDeliveryQueue(
    (task, attempt) =>
      dispatch(
        { feed: feedContext, settings: webhookSettings, send: sendWebhook(webhookSettings, webhookSettings.timeoutMs), log: runtime.log },
        task,
        attempt,
      ),
    (error) => log(`webhooks: a delivery could not be attempted (${error.message}); trying again`),
  );
  // One handler per controller, as one Lambda function serves every route it is given.
  const handlers = new Map<ControllerFactory, HttpHandler>();
  const handlerFor = (route: ContractRoute): HttpHandler => {
    const factory: ControllerFactory = controllers[route.id];
    let handler = handlers.get(factory);
    if (handler === undefined) {
      handler = factory(deps);
      handlers.set(factory, handler);
    }
    return handler;
  };

  const auth = await createLocalAuth(options.dataDir);
  const authorizer =
    options.jwt === undefined || issuerKeys === undefined
      ? createJwtAuthorizer({ issuer: localIssuer, audience: [localAudience], keys: auth.keys })
      : createJwtAuthorizer({ ...options.jwt, keys: issuerKeys });
  const token = options.jwt === undefined ? await auth.issueToken() : undefined;
  const host = options.host ?? '127.0.0.1';
  let live: LiveServer;
  try {
    const liveAt = (port: number) => startLiveServer({ port, host, authorizer, readsPublic, log });
    const apiPort = options.port ?? 3000;
    if (options.livePort !== undefined) live = await liveAt(options.livePort);
    else {
      // Beside the API's port by default; any free one when that is taken (its URL is printed, given to the page and kept in the data dir).
      live = await liveAt(apiPort === 0 || apiPort === 65535 ? 0 : apiPort + 1).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE') throw error;
        return liveAt(0);
      });
    }
  } catch (error) {
    await deliveries.stop();
    feedDoc.destroy();
    runtime.store.doc.destroy();
    await superviseNothing(dynamo);
    throw new Error(`The live updates could not listen: ${(error as Error).message} (choose another with --live-port)`);
  }
  // The page connects to it: its URL goes into the page and into the page's CSP (connect-src).
  const deps: ControllerDeps = {
    ...runtime,
    webDir: join(repoRoot, 'web'),
    liveUrl: live.url,
    feed: feedContext,
    targetPolicy: { allowLoopback: webhookSettings.allowLoopback },
    newId: randomUUID,
  };
  if (options.dataDir !== undefined) {
    // A stale dev token would only be refused: the CLI must not pick it up.
    if (token === undefined) rmSync(join(options.dataDir, 'dev-token'), { force: true });
    else writeFileSync(join(options.dataDir, 'dev-token'), `${token}\n`, { mode: 0o600 });
    // Lets `npm run rebuild` use this DynamoDB Local instead of opening the same files.
    writeFileSync(join(options.dataDir, 'dynamodb-endpoint'), `${dynamoEndpoint}\n`, { mode: 0o600 });
    // Lets `talks history --follow` find the live updates without asking.
    writeFileSync(join(options.dataDir, 'live-url'), `${live.url}\n`, { mode: 0o600 });
  }
  // DynamoDB Local dying is noticed, logged and cured (boundedly); meanwhile the store's
  // calls fail to connect and the handlers answer 503 with Retry-After.
  const supervisor =
    dynamo === undefined ? undefined : superviseDynamoDbLocal(dynamo, { dataDir: options.dataDir, log, afterRestart: createTables });
  const timeouts: ConnectionTimeouts = { ...defaultTimeouts, ...options.timeouts };

  const corsOrigins = options.corsOrigins ?? [];
  // As the HTTP API does with a CORS configuration: it answers preflights itself, before
  // any route or authorizer, and adds the headers to every response for an allowed origin.
  const serve = async (request: import('node:http').IncomingMessage): Promise<HttpResponse> => {
    if (corsOrigins.length === 0) return route(request);
    const origin = allowedOrigin(corsOrigins, request.headers.origin);
    const headers: Record<string, string> =
      origin === undefined ? {} : { 'access-control-allow-origin': origin, ...(origin === '*' ? {} : { vary: 'origin' }) };
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      const preflight: Record<string, string> =
        origin === undefined
          ? {}
          : {
              'access-control-allow-methods': corsPolicy.allowMethods.join(','),
              'access-control-allow-headers': corsPolicy.allowHeaders.join(','),
              'access-control-max-age': String(corsPolicy.maxAgeSeconds),
            };
      return { statusCode: 204, headers: { ...headers, ...preflight }, body: '' };
    }
    const response = await route(request);
    if (origin === undefined) return response;
    return {
      ...response,
      headers: { ...response.headers, ...headers, 'access-control-expose-headers': corsPolicy.exposeHeaders.join(',') },
    };
  };

  const route = async (request: import('node:http').IncomingMessage): Promise<HttpResponse> => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://local');
    } catch {
      return problemResponse(400, 'bad-request', 'The request URL is not valid');
    }
    const method = request.method ?? 'GET';
    const match = matchRoute(method, url.pathname);
    if (!('route' in match)) {
      return match.methodMismatch
        ? problemResponse(405, 'method-not-allowed', `${method} is not allowed on ${url.pathname}`)
        : problemResponse(404, 'not-found', `No route for ${url.pathname}`);
    }
    const pathParameters: Record<string, string> = {};
    for (const [name, raw] of Object.entries(match.pathParameters)) {
      try {
        pathParameters[name] = decodeURIComponent(raw);
      } catch {
        return problemResponse(400, 'validation-failed', `The path parameter ${name} is not valid percent-encoding`, {
          errors: [{ field: name, message: 'bad percent-encoding' }],
        });
      }
    }
    if (declaresTooLargeBody(request)) return closingConnection(problemResponse(413, 'payload-too-large', 'The body is too large'));
    // The token first: a caller without one never gets a byte of its body read.
    const bodiless = toHttpEvent(request, url, Buffer.alloc(0), `${match.route.method} ${match.route.path}`, pathParameters);
    const denied = await authorizer.authorize(bodiless, requiredScope(match.route, readsPublic));
    if (denied !== undefined) return bodyUnread(request) ? closingConnection(denied) : denied;
    let body: Buffer;
    try {
      body = await readBody(request, { idleMs: timeouts.bodyIdleMs });
    } catch (error) {
      if (error instanceof BodyTooLargeError) return closingConnection(problemResponse(413, 'payload-too-large', 'The body is too large'));
      if (error instanceof BodyTimeoutError)
        return closingConnection(problemResponse(408, 'request-timeout', 'The request body took too long to arrive'));
      throw error;
    }
    return handlerFor(match.route)(withBody(bodiless, body));
  };

  const server: Server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // How often node looks for connections past those timeouts (30 s by default).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
    },
    (request, response) => {
      const started = Date.now();
      serve(request)
        .then(
          (result) => {
            writeResponse(response, result);
            log(`${request.method} ${request.url} ${result.statusCode} ${Date.now() - started}ms`);
          },
          (error: unknown) => {
            // Nobody is waiting for an answer: not the server's failure, and not a 500.
            if (error instanceof ClientGoneError || request.socket.destroyed) {
              log(`${request.method} ${request.url} client went away ${Date.now() - started}ms`);
              response.destroy();
              return;
            }
            log(`internal error: ${(error as Error).stack ?? String(error)}`);
            writeResponse(response, problemResponse(500, 'internal', 'The server could not complete the request'));
            log(`${request.method} ${request.url} 500 ${Date.now() - started}ms`);
          },
        )
        .catch(() => response.destroy());
    },
  );
  answerMalformedRequests(server);
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, host, () => resolveListen());
    });
  } catch (error) {
    await live.stop();
    await deliveries.stop();
    feedDoc.destroy();
    runtime.store.doc.destroy();
    await supervisor?.stop();
    throw error;
  }
  let feed: LocalFeed;
  try {
    feed = createLocalFeed({
      endpoint: dynamoEndpoint,
      credentials: dynamoCredentials,
      store: { ...runtime.store, doc: feedDoc },
      feedTable: tableNames.feed,
      doc: feedDoc,
      sinks: localFeedSinks({
        log,
        live: live.hub,
        webhooks: webhookSink(feedContext, deliveries),
        logBus: options.logFeed === true,
        ...(options.feedSinks === undefined ? {} : { extra: options.feedSinks }),
      }),
      log,
      jsonLog: runtime.log,
    });
    if (options.feed !== false) await feed.start();
  } catch (error) {
    server.close();
    await live.stop();
    feedDoc.destroy();
    runtime.store.doc.destroy();
    await supervisor?.stop();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 3000);
  const archive = options.dataDir === undefined ? undefined : folderArchive(localArchiveDir(options.dataDir));
  let publishing: Promise<PublishReport | undefined> | undefined;
  const publish = () => {
    // One run at a time: a slow run is not overtaken by the next tick.
    publishing ??= (archive === undefined ? Promise.resolve(undefined) : publishCheckpoints(runtime.store, archive, runtime.log)).finally(
      () => {
        publishing = undefined;
      },
    );
    return publishing;
  };
  const publishEvery = options.publishIntervalMs ?? 60_000;
  const publisher =
    archive === undefined || publishEvery === 0
      ? undefined
      : setInterval(() => {
          publish().catch((error: unknown) =>
            log(JSON.stringify({ level: 'error', message: `publishing checkpoints failed: ${(error as Error).message}` })),
          );
        }, publishEvery);
  publisher?.unref();
  return {
    url: `http://${host}:${port}`,
    port,
    get token(): string {
      if (token === undefined) throw new Error(`No development token: this server trusts ${authorizer.issuer}`);
      return token;
    },
    auth,
    authorizer,
    dynamoEndpoint,
    dynamoCredentials,
    tableNames,
    live,
    feed,
    publishCheckpoints: publish,
    async stop() {
      if (publisher !== undefined) clearInterval(publisher);
      await publishing?.catch(() => undefined);
      await feed.stop();
      await deliveries.stop();
      feedDoc.destroy();
      await live.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      runtime.store.doc.destroy();
      await supervisor?.stop();
      if (options.dataDir !== undefined) {
        rmSync(join(options.dataDir, 'dynamodb-endpoint'), { force: true });
        rmSync(join(options.dataDir, 'live-url'), { force: true });
      }
      lock?.release();
    },
  };
}
