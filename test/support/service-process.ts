import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../bin/local/local-service.js';

/**
 * A second local service in its own process, against the run's DynamoDB Local with its own
 * tables: handler modules read their tables from the environment once per process, so
 * two stores cannot share one process.
 */
export async function startServiceProcess(
  dynamoEndpoint: string,
  suffix: string,
): Promise<{ url: string; token: string; stop: () => void }> {
  const script = `
    const { startLocalService } = await import(${JSON.stringify(join(repoRoot, 'bin/local/local-service.ts'))});
    const s = await startLocalService({ port: 0, dynamoEndpoint: ${JSON.stringify(dynamoEndpoint)}, tableNames: { events: 'events-${suffix}', state: 'state-${suffix}' } });
    process.stdout.write(JSON.stringify({ url: s.url, token: s.token }) + '\\n');
    process.on('SIGTERM', () => s.stop().then(() => process.exit(0)));`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const line = output.split('\n').find((l) => l.startsWith('{"url"'));
    if (line !== undefined) {
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      return { url, token, stop: () => child.kill('SIGTERM') };
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the second service did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
