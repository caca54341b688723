import type { HttpSettings, Log } from '../http/http-settings.js';

/**
 * One JSON object a line on stdout: what CloudWatch Logs Insights queries by field, and
 * where Lambda's log agent finds embedded-metric-format documents (no metrics API call).
 * `timestamp`, as Powertools' Logger names it.
 */
export const jsonLog: Log = (entry) => {
  process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), ...entry })}\n`);
};

/** The HTTP settings of a Lambda function, from the environment the stack gives it. */
export function httpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, log: Log = jsonLog): HttpSettings {
  return { readsArePublic: (env.READS_PUBLIC ?? 'true') !== 'false', now: () => new Date(), log };
}
