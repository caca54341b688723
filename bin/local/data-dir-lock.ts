import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Another live process serves this data dir: a second one would open the same files. */
export class DataDirInUseError extends Error {}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

interface LockOwner {
  pid: number;
  /** The kernel's start time of the process, so a reused pid is not taken for the owner. */
  started?: string;
  what: string;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised name, which may hold spaces). */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isRunning(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: alive, but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const started = processStart(owner.pid);
  return owner.started === undefined || started === undefined || started === owner.started;
}

/**
 * One server (or one `npm run rebuild` with its own DynamoDB Local) per data dir: the lock
 * file names the process holding it. A lock left by a process that is gone (killed, crashed)
 * is taken over; one held by a live process is refused.
 */
export function acquireDataDirLock(dataDir: string, what: string): DataDirLock {
  const file = join(dataDir, 'server.lock');
  const me: LockOwner = { pid: process.pid, what, ...optional('started', processStart(process.pid)) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { mode: 0o600, flag: 'wx' });
      return {
        file,
        release() {
          if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    // An unreadable lock written this instant is another starter between create and write.
    const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (owner === undefined && age < 2_000) throw new DataDirInUseError(`${dataDir} is being taken by another process (lock: ${file})`);
    if (owner !== undefined && isRunning(owner))
      throw new DataDirInUseError(
        `${dataDir} is in use by ${owner.what} (pid ${owner.pid}); stop it first, or use another --data-dir (lock: ${file})`,
      );
    rmSync(file, { force: true });
  }
  throw new DataDirInUseError(`Could not take the lock ${file}: another process keeps taking it`);
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
