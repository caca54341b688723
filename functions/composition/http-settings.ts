import type { HttpSettings, Log } from '../http/http-settings.js';
import { originSecretEnvVar, publicUrlEnvVar } from '../http/origin-settings.js';

const levels = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
const rank = (level: unknown) => {
  const index = levels.indexOf(String(level).toUpperCase() as (typeof levels)[number]);
  return index === -1 ? 1 : index;
};

/**
 * One JSON object a line on stdout: what CloudWatch Logs Insights queries by field, and
 * where Lambda's log agent finds embedded-metric-format documents (no metrics API call).
 * `timestamp`, as Powertools' Logger names it. `POWERTOOLS_LOG_LEVEL` (read at each line, as
 * Powertools names it) drops lines below its level; a metrics document, which has no level,
 * only at `SILENT` (the test run's setting: vitest.config.ts).
 */
export const jsonLog: Log = (entry) => {
  const threshold = rank(process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO');
  if (threshold === levels.indexOf('SILENT')) return;
  if (entry.level !== undefined && rank(entry.level) < threshold) return;
  process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), ...entry })}\n`);
};

/** The HTTP settings of a Lambda function, from the environment the stack gives it. */
export function httpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, log: Log = jsonLog): HttpSettings {
  const originSecret = env[originSecretEnvVar];
  const publicUrl = env[publicUrlEnvVar];
  return {
    readsArePublic: (env.READS_PUBLIC ?? 'true') !== 'false',
    ...(env.JWT_ISSUER === undefined || env.JWT_ISSUER === '' ? {} : { jwtIssuer: env.JWT_ISSUER }),
    now: () => new Date(),
    log,
    ...(originSecret === undefined || originSecret === '' ? {} : { originSecret }),
    ...(publicUrl === undefined || publicUrl === '' ? {} : { publicUrl }),
  };
}
