/**
 * What every HTTP handler needs that is not storage: kept apart from the runtime so a
 * handler without DynamoDB (the OpenAPI document) bundles no AWS SDK.
 */
export type Log = (entry: Record<string, unknown>) => void;

export interface HttpSettings {
  readonly readsArePublic: boolean;
  /** The issuer the API's JWT authorizer trusts (JWT_ISSUER), for the OpenAPI document. */
  readonly jwtIssuer?: string;
  readonly now: () => Date;
  readonly log: Log;
}

export const jsonLog: Log = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

export function httpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, log: Log = jsonLog): HttpSettings {
  return {
    readsArePublic: (env.READS_PUBLIC ?? 'true') !== 'false',
    ...(env.JWT_ISSUER === undefined || env.JWT_ISSUER === '' ? {} : { jwtIssuer: env.JWT_ISSUER }),
    now: () => new Date(),
    log,
  };
}
