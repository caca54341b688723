import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpResponse } from '../../functions/http/http-types.js';
import { problemResponse } from '../../functions/http/problem.js';

/**
 * The status page (web/): plain files, no build step. They are not API routes (the stack
 * can host them anywhere), so they are served before route matching. Only flat file
 * names are served: no path can climb out of web/.
 */
const types: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

// The page talks only to this origin and runs only its own script and style.
const securityHeaders = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The static file a GET path names, or undefined when the path is not the page's. */
export function staticFileFor(method: string, pathname: string): string | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (pathname === '/' || pathname === '/index.html') return 'index.html';
  const match = /^\/web\/([a-z0-9-]{1,64}\.(?:html|js|css|svg))$/.exec(pathname);
  return match?.[1];
}

export async function serveStatic(webDir: string, file: string): Promise<HttpResponse> {
  try {
    const body = await readFile(join(webDir, file), 'utf8');
    return { statusCode: 200, headers: { 'content-type': types[file.split('.').pop() ?? ''] ?? 'application/octet-stream', ...securityHeaders }, body };
  } catch {
    // Refusals are problem+json everywhere on this origin, the page's files included.
    return problemResponse(404, 'not-found', `No such file: ${file}`, {}, securityHeaders);
  }
}
