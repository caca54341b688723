import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../bin/local/local-service.js';

/**
 * `npm start`'s own command (tsx bin/local-server.ts) as a separate process, one that can be
 * stopped with Ctrl-C or crash; what it writes to stdout and stderr, together.
 */
export function spawnLocalServer(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), 'bin/local-server.ts', ...args], {
    cwd: repoRoot,
    stdio: 'pipe',
    env,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}
