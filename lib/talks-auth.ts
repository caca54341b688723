import { Aws, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Mfa, OAuthScope, ResourceServerScope, UserPool, type UserPoolClient, type UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { scopes } from '../functions/http/routes.js';

/** What the API's JWT authorizer trusts. */
export interface JwtSettings {
  readonly issuer: string;
  readonly audience: readonly string[];
}

/** Splits `talks/read` into the resource server `talks` and the scope `read`. */
function resourceServerScopes(): { identifier: string; names: string[] } {
  const parts = Object.values(scopes).map((full) => full.split('/'));
  const identifier = parts[0]?.[0];
  if (identifier === undefined || parts.some(([server]) => server !== identifier)) {
    throw new Error('Every scope must belong to one resource server');
  }
  return { identifier, names: parts.map(([, name]) => name ?? '') };
}

/**
 * A Cognito user pool for deployments that bring no identity provider of their own.
 * Reporters and auditors are machines (newsroom pipelines, audit jobs), so the pool has
 * no sign-up and one app client using the client-credentials flow; its scopes are exactly
 * those the routes require, taken from the HTTP contract (functions/http/routes.ts).
 */
export class TalksAuth extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  public readonly domain: UserPoolDomain;
  public readonly jwt: JwtSettings;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    // No one signs in with a password (machine clients only), so the password policy and
    // MFA below only make sure that a user added by hand later is not the weak point.
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      passwordPolicy: { minLength: 14, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus plan adds threat protection for interactive sign-ins (compromised credentials, adaptive MFA); this pool has none: only the client-credentials flow of machine clients, whose secrets are rotated outside Cognito.',
    });

    const { identifier, names } = resourceServerScopes();
    const serverScopes = names.map((scopeName) => new ResourceServerScope({ scopeName, scopeDescription: `talks ${scopeName}` }));
    const server = this.userPool.addResourceServer('ResourceServer', {
      identifier,
      scopes: serverScopes,
    });
    this.client = this.userPool.addClient('MachineClient', {
      generateSecret: true,
      oAuth: {
        flows: { clientCredentials: true },
        scopes: serverScopes.map((s) => OAuthScope.resourceServer(server, s)),
      },
    });

    // Client credentials are exchanged at the domain's token endpoint. Prefixes are
    // global per region; the account id keeps two accounts' stacks apart.
    const stackName = Stack.of(this)
      .stackName.toLowerCase()
      .replace(/[^a-z0-9-]/g, '');
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: Fn.join('-', [stackName, Aws.ACCOUNT_ID]) },
    });

    // Cognito access tokens carry the client id in `client_id`, not `aud`; API Gateway's
    // JWT authorizer checks `client_id` against the audience when `aud` is absent.
    this.jwt = {
      issuer: this.userPool.userPoolProviderUrl,
      audience: [this.client.userPoolClientId],
    };
  }

  /** The OAuth 2.0 token endpoint machine clients call. */
  public get tokenUrl(): string {
    return `${this.domain.baseUrl()}/oauth2/token`;
  }
}
