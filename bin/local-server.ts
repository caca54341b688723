import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCorsOrigins } from '../functions/http/cors-policy.js';
import { DataDirInUseError } from './local/data-dir-lock.js';
import { loadDemo, loadScenario } from './local/demo-loader.js';
import { type LocalService, startLocalService } from './local/local-service.js';

/**
 * `npm start`: the API on http://127.0.0.1:3000 against DynamoDB Local, data under .talks/.
 *   --in-memory   keep nothing     --demo   load the 13 January 2025 scenario
 *   --port N      (or PORT)        --data-dir DIR (or TALKS_DATA_DIR)
 *   --private-reads   reads need a token with talks/read
 *   --cors-origin O   (repeatable, or CORS_ORIGINS=a,b) let browser apps on O call the API
 */
const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    demo: { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'private-reads': { type: 'boolean', default: false },
    'cors-origin': { type: 'string', multiple: true },
    quiet: { type: 'boolean', default: false },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Not a port: ${values.port ?? process.env.PORT}`);
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

let service: LocalService;
try {
  service = await startLocalService({
    port,
    ...(dataDir === undefined ? {} : { dataDir }),
    readsPublic: !values['private-reads'],
    corsOrigins,
    log: values.quiet ? () => {} : (line) => console.log(line),
  });
} catch (error) {
  if (!(error instanceof DataDirInUseError)) throw error;
  console.error(error.message);
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
console.log(`DynamoDB Local: ${service.dynamoEndpoint} (${dataDir === undefined ? 'in memory: nothing is kept' : `data in ${dataDir}`})`);
console.log(
  `Development token (every scope)${dataDir === undefined ? '' : `, also in ${resolve(dataDir, 'dev-token')}`}:\n${service.token}`,
);

if (values.demo) {
  const scenario = loadScenario();
  const result = await loadDemo(service.url, service.token, scenario);
  console.log(
    `Demo loaded: ${result.appended} events appended, ${result.replayed} already stored. Try:\n  curl ${service.url}/talks/${scenario.talksId}`,
  );
}
