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
