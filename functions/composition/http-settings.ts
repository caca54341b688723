import type { HttpSettings, Log } from '../http/http-settings.js';
import { originSecretEnvVar, publicUrlEnvVar } from '../http/origin-settings.js';

/** One JSON object a line on stdout: what CloudWatch Logs Insights queries by field. */
export const jsonLog: Log = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

/** The HTTP settings of a Lambda function, from the environment the stack gives it. */
export function httpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, log: Log = jsonLog): HttpSettings {
  const originSecret = env[originSecretEnvVar];
  const publicUrl = env[publicUrlEnvVar];
  return {
    readsArePublic: (env.READS_PUBLIC ?? 'true') !== 'false',
    now: () => new Date(),
    log,
    ...(originSecret === undefined || originSecret === '' ? {} : { originSecret }),
    ...(publicUrl === undefined || publicUrl === '' ? {} : { publicUrl }),
  };
}
