import { App } from 'aws-cdk-lib';
import { TalksStatusStack } from '../lib/talks-status-stack.js';

const app = new App();
// Env-agnostic on purpose: the template synthesizes offline and deploys to whatever
// account and region the CLI credentials select.
new TalksStatusStack(app, 'TalksStatus', {
  description: 'Talks status store: event-sourced status of negotiations',
});
app.synth();
