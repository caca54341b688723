/**
 * Cross-origin access for browser apps served from other origins (a newsroom's own pages
 * embedding the status): off unless origins are configured. On AWS the HTTP API answers
 * preflights and adds the headers itself from this policy; the local server does the same
 * from the same lists, so a browser app behaves alike against both.
 */
export const corsPolicy = {
  allowMethods: ['GET', 'POST'],
  // What clients send: the bearer token, JSON bodies, optimistic concurrency and caching.
  allowHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match'],
  // What clients need to read back: versions, where a stored event lives, when to retry.
  exposeHeaders: ['etag', 'location', 'retry-after'],
  maxAgeSeconds: 86_400,
} as const;

const originPattern = /^https?:\/\/[a-z0-9.-]{1,253}(?::\d{1,5})?$/;

/**
 * The configured origins, from a comma-separated list (`https://a.example,https://b.example`
 * or `*`). Bearer tokens travel in a header, never in cookies, so credentials stay off and
 * `*` is safe for public reads. A malformed origin is refused rather than silently ignored.
 */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  const origins = value.split(',').map((origin) => origin.trim().replace(/\/$/, '').toLowerCase());
  for (const origin of origins) {
    if (origin !== '*' && !originPattern.test(origin))
      throw new Error(`Not an origin (scheme://host[:port], or *): ${JSON.stringify(origin)}`);
  }
  if (origins.includes('*') && origins.length > 1) throw new Error('"*" allows every origin: give it alone');
  return origins;
}

/** The value of Access-Control-Allow-Origin for a request's Origin, or undefined when not allowed. */
export function allowedOrigin(origins: readonly string[], origin: string | undefined): string | undefined {
  if (origins.includes('*')) return '*';
  if (origin === undefined) return undefined;
  return origins.includes(origin.toLowerCase()) ? origin : undefined;
}
