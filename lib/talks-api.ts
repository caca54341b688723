import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { corsPolicy } from '../functions/http/cors-policy.js';
import { type RouteDefinition, requiredScope } from '../functions/http/routes.js';
import type { JwtSettings } from './talks-auth.js';

/** A route and the function that serves it. */
export interface TalksEndpoint {
  readonly route: RouteDefinition;
  readonly handler: IFunction;
}

export interface TalksApiProps {
  readonly endpoints: readonly TalksEndpoint[];
  /** When false, read routes need `talks/read` like writes need `talks/write`. */
  readonly readsPublic: boolean;
  readonly jwt: JwtSettings;
  /** Origins of browser apps allowed to call the API; none (same origin only) when empty. */
  readonly corsOrigins?: readonly string[];
}

/** Throttling of the whole stage: a newsroom burst is fine, a runaway client is not. */
export const stageThrottle = { rateLimit: 50, burstLimit: 100 } as const;

// One JSON object per request, so Logs Insights can query fields without parsing.
const accessLogFormat = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  clientId: '$context.authorizer.claims.client_id',
});

/**
 * The HTTP API: one route per route of the contract, each backed by the function serving it, with a
 * JWT authorizer on every route that requires a scope and none on public reads.
 */
export class TalksApi extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;

  public constructor(scope: Construct, id: string, props: TalksApiProps) {
    super(scope, id);
    // The default stage is created here rather than by HttpApi, because only an explicit
    // stage takes throttling and access-log settings through the typed L2 API.
    const corsOrigins = props.corsOrigins ?? [];
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Talks status store',
      createDefaultStage: false,
      // API Gateway answers preflights itself (before the authorizer) and adds the headers.
      ...(corsOrigins.length === 0
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...corsOrigins],
              allowMethods: corsPolicy.allowMethods.map((method) => CorsHttpMethod[method]),
              allowHeaders: [...corsPolicy.allowHeaders],
              exposeHeaders: [...corsPolicy.exposeHeaders],
              maxAge: Duration.seconds(corsPolicy.maxAgeSeconds),
              allowCredentials: false,
            },
          }),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: stageThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(accessLogFormat),
      },
    });

    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwt.issuer, {
      jwtAudience: [...props.jwt.audience],
    });
    for (const { route, handler } of props.endpoints) {
      const scopeName = requiredScope(route, props.readsPublic);
      const httpRoute = new HttpRoute(this, route.id, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration('Integration', handler, {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        }),
        ...(scopeName === undefined ? {} : { authorizer, authorizationScopes: [scopeName] }),
      });
      // Only a route requiredScope makes public goes without an authorizer: reads when the
      // deployment chose public reads, and the API description. Each such route only reads,
      // and is throttled and access-logged with the stage like every other.
      if (scopeName === undefined) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (access "${route.access}", readsPublic=${String(props.readsPublic)}): it only reads, and writes and audits always need a JWT with their scope.`,
        });
      }
    }
  }

  /** The invoke URL of the default stage. */
  public get url(): string {
    return this.stage.url;
  }
}
