import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PageSettings } from '../controllers/runtime.js';

/**
 * Where the status page's files are, seen from the module at `moduleUrl`: bundled, the
 * stack copies web/ next to index.mjs; run from source, it is the repository's.
 */
export function pageSettingsBeside(moduleUrl: string): PageSettings {
  const here = dirname(fileURLToPath(moduleUrl));
  const webDir = [join(here, 'web'), join(here, '..', '..', 'web')].find((dir) => existsSync(join(dir, 'index.html')));
  if (webDir === undefined) throw new Error(`The status page files are missing: no web/index.html next to ${here}`);
  return { webDir };
}
