import { timingSafeEqual } from 'node:crypto';
import type { HttpEvent, HttpResponse } from './http-types.js';
import { originVerifyHeader } from './origin-settings.js';
import { problemResponse } from './problem.js';

/**
 * Origin protection behind the CDN. An HTTP API takes neither a resource policy nor WAF,
 * so CloudFront adds this header with a secret value to every origin request and each
 * function refuses a request without it: the API's own URL is then no way around the
 * cache. Unset (the local server, `-c cdn=false`), nothing is checked.
 */
const same = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** A 403 for a request that did not come through the CDN, or undefined to go on. */
export function originRefusal(event: Pick<HttpEvent, 'headers'>, secret: string | undefined): HttpResponse | undefined {
  if (secret === undefined) return undefined;
  const given = event.headers?.[originVerifyHeader];
  if (given !== undefined && same(given, secret)) return undefined;
  return problemResponse(403, 'forbidden', 'Requests reach this API through its CDN only');
}
