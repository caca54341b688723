import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCorsOrigins } from '../functions/http/cors-policy.js';
import { loadDemo, loadDemoScenarios } from './local/demo-loader.js';
import { type LocalService, startLocalService } from './local/local-service.js';

/**
 * `npm start`: the API on http://127.0.0.1:3000 against DynamoDB Local, data under .talks/.
 *   --in-memory   keep nothing     --demo   load the demo talks (13 January 2025; the November 2023 truce)
 *   --port N      (or PORT)        --data-dir DIR (or TALKS_DATA_DIR)
 *   --live-port N the live updates' WebSockets (/live): the API's port + 1 by default
 *   --private-reads   reads need a token with talks/read
 *   --cors-origin O   (repeatable, or CORS_ORIGINS=a,b) let browser apps on O call the API
 *   --issuer URL --audience A   (or TALKS_JWT_ISSUER, TALKS_JWT_AUDIENCE=a,b) trust this identity
 *                     provider's access tokens instead of minting a development token
 *   --allow-private-webhooks   webhook subscriptions may target loopback addresses (http too): for testing receivers
 *   --log-feed        log each change as the EventBridge bus would get it (there is no bus locally)
 *   --no-feed         do not read DynamoDB Local's stream: no webhooks, live updates or history --follow
 */
const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    demo: { type: 'boolean', default: false },
    port: { type: 'string' },
    'live-port': { type: 'string' },
    'data-dir': { type: 'string' },
    'private-reads': { type: 'boolean', default: false },
    'cors-origin': { type: 'string', multiple: true },
    issuer: { type: 'string' },
    audience: { type: 'string', multiple: true },
    quiet: { type: 'boolean', default: false },
    'allow-private-webhooks': { type: 'boolean', default: false },
    'log-feed': { type: 'boolean', default: false },
    'no-feed': { type: 'boolean', default: false },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Not a port: ${values.port ?? process.env.PORT}`);
  process.exit(2);
}
const livePort = values['live-port'] === undefined ? undefined : Number(values['live-port']);
if (livePort !== undefined && (!Number.isInteger(livePort) || livePort < 0 || livePort > 65535)) {
  console.error(`Not a port: ${values['live-port']}`);
  process.exit(2);
}
const dataDir = values['in-memory'] ? undefined : resolve(values['data-dir'] ?? process.env.TALKS_DATA_DIR ?? '.talks');

let corsOrigins: string[];
try {
  corsOrigins = parseCorsOrigins(values['cors-origin']?.join(',') ?? process.env.CORS_ORIGINS);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

// As the stack's -c jwtIssuer/-c jwtAudience: both or neither, several audiences comma-separated.
const issuer = values.issuer ?? process.env.TALKS_JWT_ISSUER;
const audience = (values.audience?.join(',') ?? process.env.TALKS_JWT_AUDIENCE)
  ?.split(',')
  .map((a) => a.trim())
  .filter((a) => a !== '');
if ((issuer === undefined) !== (audience === undefined || audience.length === 0)) {
  console.error('--issuer and --audience (or TALKS_JWT_ISSUER and TALKS_JWT_AUDIENCE) must be given together');
  process.exit(2);
}
const jwt = issuer === undefined || audience === undefined ? undefined : { issuer, audience };
if (jwt !== undefined && values.demo && process.env.TALKS_TOKEN === undefined) {
  console.error(`--demo with --issuer needs an access token with talks/write from ${jwt.issuer} in TALKS_TOKEN`);
  process.exit(2);
}

let service: LocalService;
try {
  service = await startLocalService({
    port,
    ...(livePort === undefined ? {} : { livePort }),
    ...(dataDir === undefined ? {} : { dataDir }),
    readsPublic: !values['private-reads'],
    corsOrigins,
    log: values.quiet ? () => {} : (line) => console.log(line),
    ...(jwt === undefined ? {} : { jwt }),
    allowPrivateWebhooks: values['allow-private-webhooks'],
    logFeed: values['log-feed'],
    feed: !values['no-feed'],
  });
} catch (error) {
  // A data dir another server holds, or an identity provider that cannot be discovered: a
  // configuration error, said plainly.
  console.error((error as Error).message);
  process.exit(2);
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the API and DynamoDB Local`);
  await service.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

console.log(`talks-status API listening on ${service.url}`);
console.log(`Status page: ${service.url}/   OpenAPI document: ${service.url}/openapi.json`);
console.log(`Live updates (WebSocket): ${service.live.url}`);
if (!service.feed.running) console.log('Change feed: off (--no-feed): webhooks, live updates and talks history --follow get no changes');
console.log(`DynamoDB Local: ${service.dynamoEndpoint} (${dataDir === undefined ? 'in memory: nothing is kept' : `data in ${dataDir}`})`);
if (jwt === undefined) {
  console.log(
    `Development token (every scope)${dataDir === undefined ? '' : `, also in ${resolve(dataDir, 'dev-token')}`}:\n${service.token}`,
  );
} else {
  console.log(
    `Access tokens: from ${jwt.issuer} (audience ${jwt.audience.join(', ')}), checked as API Gateway's JWT authorizer does; no development token`,
  );
}

if (values.demo) {
  const token = jwt === undefined ? service.token : (process.env.TALKS_TOKEN ?? '');
  const scenarios = loadDemoScenarios();
  let appended = 0;
  let replayed = 0;
  for (const scenario of scenarios) {
    const result = await loadDemo(service.url, token, scenario);
    appended += result.appended;
    replayed += result.replayed;
  }
  // One line once every talks is in: scripts (and the npm start test) wait for it.
  console.log(
    `Demo loaded: ${appended} events appended, ${replayed} already stored. Try:\n${scenarios.map((s) => `  curl ${service.url}/talks/${s.talksId}`).join('\n')}`,
  );
}
