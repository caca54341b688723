/**
 * What every HTTP handler needs that is not storage: kept apart from the store so a
 * handler without DynamoDB (the OpenAPI document) bundles no AWS SDK.
 */
export type Log = (entry: Record<string, unknown>) => void;

export interface HttpSettings {
  readonly readsArePublic: boolean;
  /** The issuer the API's JWT authorizer trusts (JWT_ISSUER), for the OpenAPI document. */
  readonly jwtIssuer?: string;
  readonly now: () => Date;
  readonly log: Log;
  /** Set when the API sits behind the CDN: requests without its secret header get a 403. */
  readonly originSecret?: string;
  /** The address clients call when it is not the Host they reached (behind the CDN). */
  readonly publicUrl?: string;
}
