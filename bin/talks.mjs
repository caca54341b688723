#!/usr/bin/env node
// `npx talks ...`: the CLI is TypeScript, run through tsx (a devDependency) without a build.
import { register } from 'tsx/esm/api';

register();
await import('./talks-cli.ts');
