import { readFileSync } from 'node:fs';
import { App, type AppProps } from 'aws-cdk-lib';

/**
 * An App with the context `cdk synth` reads from cdk.json (the feature flags above all), so
 * the infra tests assert on the template that is deployed, not on one built with other
 * defaults. A test's own context (settings, bundling switches) comes on top.
 */
const projectContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

export const projectApp = (props: AppProps = {}): App => new App({ ...props, context: { ...projectContext, ...props.context } });

type TemplateLike = { findResources(type: string): Record<string, unknown> };
type ResourceLike = { Properties: Record<string, unknown> };

/**
 * The resources of one type that belong to the HTTP API (the contract's routes), not to the
 * live updates' WebSocket API (lib/talks-live.ts, asserted in live.infra.spec.ts): both are
 * API Gateway v2 resources, told apart by the protocol of the API they name.
 */
export function httpApiResources(template: TemplateLike, type: string): Record<string, ResourceLike> {
  const apis = template.findResources('AWS::ApiGatewayV2::Api') as Record<string, ResourceLike>;
  const webSocketApis = Object.keys(apis).filter((id) => apis[id]?.Properties.ProtocolType === 'WEBSOCKET');
  const all = template.findResources(type) as Record<string, ResourceLike>;
  if (type === 'AWS::ApiGatewayV2::Api') return Object.fromEntries(Object.entries(all).filter(([id]) => !webSocketApis.includes(id)));
  return Object.fromEntries(
    Object.entries(all).filter(([, r]) => !webSocketApis.some((api) => JSON.stringify(r.Properties.ApiId).includes(`"${api}"`))),
  );
}
