import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheControl } from './cache-policy.js';
import type { HttpEvent, HttpResponse } from './http-types.js';
import { problemResponse } from './problem.js';

/**
 * The status page's files, served from a directory: `/` is index.html, `/web/<name>` the
 * rest. Only flat, lower-case file names of known types are served: no path can climb out
 * of the directory.
 */
const types: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/**
 * The page talks only to this origin and to its live updates' endpoint (a WebSocket origin
 * of its own: another port locally, the WebSocket API on AWS), and runs only its own
 * script and style.
 */
export function securityHeadersFor(liveUrl?: string): Record<string, string> {
  const live = liveUrl === undefined ? '' : ` ${new URL(liveUrl).origin}`;
  return {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'${live}; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** The page finds its live updates' URL in `<meta name="talks-live-url">`, filled in as it is served. */
const liveUrlMeta = '<meta name="talks-live-url" content="">';
const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const fileName = /^[a-z0-9-]{1,64}\.(?:html|js|css|svg)$/;

/** The file a page request names (`/` or `/web/{file}`), or undefined when it names none. */
export function pageFileFor(event: Pick<HttpEvent, 'routeKey' | 'pathParameters'>): string | undefined {
  if (event.routeKey === 'GET /') return 'index.html';
  const file = event.pathParameters?.file;
  return file !== undefined && fileName.test(file) ? file : undefined;
}

export async function servePageFile(webDir: string, file: string | undefined, liveUrl?: string): Promise<HttpResponse> {
  const securityHeaders = securityHeadersFor(liveUrl);
  if (file !== undefined) {
    try {
      const text = await readFile(join(webDir, file), 'utf8');
      const body =
        file === 'index.html' && liveUrl !== undefined
          ? text.replace(liveUrlMeta, `<meta name="talks-live-url" content="${attribute(liveUrl)}">`)
          : text;
      return {
        statusCode: 200,
        headers: {
          'content-type': types[file.split('.').pop() ?? ''] ?? 'application/octet-stream',
          ...securityHeaders,
          'cache-control': cacheControl('document', 'shared'),
        },
        body,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  // Refusals are problem+json everywhere on this origin, the page's files included.
  return problemResponse(
    404,
    'not-found',
    `No such file: ${file ?? 'that name is not a page file'}`,
    {},
    {
      ...securityHeaders,
      'cache-control': cacheControl('notFound', 'shared'),
    },
  );
}
