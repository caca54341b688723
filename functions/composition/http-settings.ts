import type { HttpSettings, Log } from '../http/http-settings.js';
import { originSecretEnvVar } from '../http/origin-guard.js';

/** One JSON object a line on stdout: what CloudWatch Logs Insights queries by field. */
export const jsonLog: Log = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

/** The HTTP settings of a Lambda function, from the environment the stack gives it. */
export function httpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, log: Log = jsonLog): HttpSettings {
  const originSecret = env[originSecretEnvVar];
  return {
    readsArePublic: (env.READS_PUBLIC ?? 'true') !== 'false',
    now: () => new Date(),
    log,
    ...(originSecret === undefined || originSecret === '' ? {} : { originSecret }),
  };
}
