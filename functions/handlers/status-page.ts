import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statusPageRoute } from '../use-cases/status-page-route.js';

// Bundled, the stack copies web/ next to index.mjs; run from source, it is the repository's.
const here = dirname(fileURLToPath(import.meta.url));
const webDir = [join(here, 'web'), join(here, '..', '..', 'web')].find((dir) => existsSync(join(dir, 'index.html')));
if (webDir === undefined) throw new Error(`The status page files are missing: no web/index.html next to ${here}`);

/** Lambda entry: needs no table, so it builds no DynamoDB client. */
export const handler = statusPageRoute(webDir);
