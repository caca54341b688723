import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runtimeFrom } from '../functions/composition/runtime.js';
import { talksIdSchema } from '../functions/domain/common-schemas.js';
import { writeEventIdAliases } from '../functions/store/event-id-aliases.js';
import { type RebuildProgress, rebuildMany } from '../functions/store/rebuild-status.js';
import { acquireDataDirLock, type DataDirLock } from './local/data-dir-lock.js';
import {
  type DynamoDbCredentials,
  type DynamoDbLocal,
  ensurePrivateDir,
  localCredentials,
  startDynamoDbLocal,
} from './local/dynamodb-local.js';
import { localCheckpointKeys } from './local/local-signer.js';

/**
 * npm run rebuild -- [talksId...] [--resume RUN_ID] [--data-dir DIR]
 * Rebuilds status items and snapshots from the log. Uses the DynamoDB Local of a running
 * `npm start` (its endpoint and credentials are in the data dir), DYNAMODB_ENDPOINT, or starts
 * its own (holding the data dir's lock meanwhile, as a server does).
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { resume: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(
    'Usage: npm run rebuild -- [talksId...] [--resume RUN_ID] [--data-dir DIR]\nRebuilds status items and snapshots from the event log; resumable with --resume.',
  );
  process.exit(0);
}
for (const id of positionals) {
  if (!talksIdSchema.safeParse(id).success) {
    console.error(`Not a talks id: ${id}`);
    process.exit(2);
  }
}
const dataDir = resolve(values['data-dir'] ?? process.env.TALKS_DATA_DIR ?? '.talks');
const endpointFile = join(dataDir, 'dynamodb-endpoint');
let own: DynamoDbLocal | undefined;
let lock: DataDirLock | undefined;
const fromEnv = process.env.DYNAMODB_ENDPOINT || undefined;
let endpoint = fromEnv ?? (existsSync(endpointFile) ? readFileSync(endpointFile, 'utf8').trim() : undefined);
if (endpoint !== undefined) {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(2000) });
  } catch {
    endpoint = undefined; // a stale file from a server that is gone
  }
}
// DYNAMODB_ENDPOINT comes with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the SDK reads
// them); the data dir's DynamoDB Local, running or started here, with the data dir's own.
let credentials: DynamoDbCredentials | undefined;
if (endpoint === undefined || fromEnv === undefined) {
  try {
    ensurePrivateDir(dataDir);
    if (endpoint === undefined) lock = acquireDataDirLock(dataDir, 'npm run rebuild');
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  credentials = localCredentials(join(dataDir, 'dynamodb'));
}
if (endpoint === undefined) {
  own = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
  endpoint = own.endpoint;
}

const runId = values.resume ?? `rebuild-${new Date().toISOString().replace(/[:.]/g, '-')}`;
const bar = (p: RebuildProgress) => {
  const width = 30;
  const filled = p.talksTotal === 0 ? width : Math.round((p.talksDone / p.talksTotal) * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.talksDone}/${p.talksTotal} talks, ${p.eventsRead} events${p.current === undefined ? '' : ` (${p.current})`}   `,
  );
};
try {
  const store = runtimeFrom({
    endpoint,
    ...(credentials === undefined ? {} : { credentials }),
    tables: { events: process.env.EVENTS_TABLE ?? 'talks-events', state: process.env.STATE_TABLE ?? 'talks-state' },
    snapshotInterval: Number(process.env.SNAPSHOT_INTERVAL ?? 50),
    maxAppendAttempts: 1,
    // Heads of talks stored before trees are signed with the local server's key.
    checkpoints: localCheckpointKeys(dataDir),
  }).store;
  if (positionals.length === 0) {
    // As the rebuild job does: event ids stored before they were lower-cased get aliases.
    const aliases = await writeEventIdAliases(store);
    if (aliases.found > 0)
      console.log(
        `Event ids not in lower case: ${aliases.found} (${aliases.written} aliased now, ${aliases.present} before, ${aliases.duplicates.length} stored twice already).`,
      );
  }
  const result = await rebuildMany(store, { runId, ...(positionals.length === 0 ? {} : { talksIds: positionals }), onProgress: bar });
  process.stderr.write('\n');
  const resumed =
    result.resumedFrom === undefined ? '' : `; ${result.resumedFrom.talksId} resumed after version ${result.resumedFrom.version}`;
  console.log(
    `Rebuilt ${result.talksDone - result.skipped} talks (${result.skipped} already done in run ${runId}${resumed}), ${result.eventsRead} events read.`,
  );
} catch (error) {
  process.stderr.write('\n');
  console.error(`Rebuild failed: ${(error as Error).message}\nResume with: npm run rebuild -- --resume ${runId}`);
  process.exitCode = 1;
} finally {
  await own?.stop();
  lock?.release();
}
