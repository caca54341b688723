import { join } from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';

export interface DynamoDbSupervisor {
  /** The DynamoDB Local serving now (a new one after each restart). */
  readonly current: DynamoDbLocal;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  /** The server's data dir (DynamoDB Local's files are in its dynamodb/); in memory when undefined. */
  dataDir?: string | undefined;
  log: (line: string) => void;
  /** Run after each restart, before it counts as back (an in-memory one comes back empty). */
  afterRestart?: (dynamo: DynamoDbLocal) => Promise<void>;
  maxRestarts?: number;
  windowMs?: number;
}

/**
 * Watches the DynamoDB Local the server started: when it dies, says so and starts it again
 * on the same port, files and credentials, so the runtime's client reconnects by itself.
 * Bounded: after maxRestarts within windowMs it gives up and says why, rather than spin.
 * Until it is back, the store's calls fail to connect and the API answers 503 with
 * Retry-After (functions/http/problem.ts), as it does on AWS when DynamoDB is unreachable.
 */
export function superviseDynamoDbLocal(first: DynamoDbLocal, options: SupervisorOptions): DynamoDbSupervisor {
  const maxRestarts = options.maxRestarts ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const { log } = options;
  let current = first;
  let stopping = false;
  const restarts: number[] = [];

  const revive = async (dead: DynamoDbLocal, how: string) => {
    log(`DynamoDB Local (pid ${dead.pid}) exited (${how}); answering 503 until it is back`);
    while (!stopping) {
      const now = Date.now();
      while (restarts.length > 0 && (restarts[0] ?? 0) <= now - windowMs) restarts.shift();
      if (restarts.length >= maxRestarts) {
        log(
          `DynamoDB Local died ${maxRestarts} times within ${windowMs / 1000} s: not restarting it again; stop the server and start it anew`,
        );
        return;
      }
      restarts.push(now);
      try {
        const next = await startDynamoDbLocal({
          ...(options.dataDir === undefined ? {} : { dataDir: join(options.dataDir, 'dynamodb') }),
          port: dead.port,
          credentials: dead.credentials,
          log,
        });
        if (stopping) {
          await next.stop();
          return;
        }
        await options.afterRestart?.(next);
        current = next;
        watch(next);
        log(`DynamoDB Local restarted (pid ${next.pid}) on ${next.endpoint}`);
        return;
      } catch (error) {
        log(`DynamoDB Local did not restart: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  };

  const watch = (dynamo: DynamoDbLocal) => {
    void dynamo.exited.then(({ code, signal }) => {
      if (!stopping) void revive(dynamo, signal ?? `exit code ${code}`);
    });
  };
  watch(first);

  return {
    get current() {
      return current;
    },
    async stop() {
      stopping = true;
      await current.stop();
    },
  };
}
