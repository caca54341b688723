import { describe, expect, it } from 'vitest';
import { asOfFreshness, audienceOf, cacheControl, cacheSeconds, historyPageFreshness } from '../../functions/http/cache-policy.js';
import { originRefusal } from '../../functions/http/origin-guard.js';
import { originVerifyHeader } from '../../functions/http/origin-settings.js';
import { auditTalksRoute, getOpenApiRoute, getStatusRoute } from '../../functions/http/routes.js';

/** Cache-Control as a map of directive → value (true for a bare directive). */
const directives = (value: string) =>
  Object.fromEntries(
    value.split(',').map((part) => {
      const [name, arg] = part.trim().split('=') as [string, string | undefined];
      return [name, arg === undefined ? true : Number(arg)];
    }),
  );

describe('the cache policy', () => {
  it('keeps the current status briefly in shared caches, stale while one request revalidates', () => {
    expect(directives(cacheControl('live', 'shared'))).toEqual({
      public: true,
      'max-age': 5,
      'stale-while-revalidate': 30,
      'stale-if-error': 300,
    });
  });

  it('marks what can never change immutable for a year', () => {
    expect(directives(cacheControl('settled', 'shared'))).toEqual({ public: true, 'max-age': 31_536_000, immutable: true });
    expect(cacheSeconds.settled).toBe(365 * 24 * 3600);
  });

  it('keeps documents for minutes and 404s for seconds', () => {
    expect(directives(cacheControl('document', 'shared'))).toEqual({ public: true, 'max-age': 300, 'stale-while-revalidate': 3600 });
    expect(directives(cacheControl('notFound', 'shared'))).toEqual({ public: true, 'max-age': 10 });
  });

  it('never lets a shared cache keep a private read, and stores no write, audit or error', () => {
    for (const freshness of ['live', 'settled', 'document', 'notFound', 'never'] as const) {
      const value = cacheControl(freshness, 'private');
      expect(value, freshness).not.toMatch(/public|s-maxage/);
      expect(value === 'no-store' || value.startsWith('private'), freshness).toBe(true);
    }
    expect(cacheControl('live', 'private')).toBe('private, no-cache');
    expect(cacheControl('settled', 'private')).toBe('private, max-age=31536000, immutable');
    expect(cacheControl('notFound', 'private')).toBe('no-store');
    expect(cacheControl('never', 'shared')).toBe('no-store');
  });

  it('makes a read private exactly when the deployment requires a token for it', () => {
    expect(audienceOf(getStatusRoute, true)).toBe('shared');
    expect(audienceOf(getStatusRoute, false)).toBe('private');
    expect(audienceOf(getOpenApiRoute, false)).toBe('shared');
    expect(audienceOf(auditTalksRoute, true)).toBe('private');
  });

  it('settles a history page that ends below the head, not one that reaches it', () => {
    expect(historyPageFreshness({ nextAfter: 100 })).toBe('settled');
    expect(historyPageFreshness({ nextAfter: null })).toBe('live');
  });

  it('settles an asOf answer once the head has moved past it, never the head itself', () => {
    expect(asOfFreshness(3, 4)).toBe('settled');
    expect(asOfFreshness(4, 4)).toBe('live');
    expect(asOfFreshness(4, undefined)).toBe('live');
  });
});

describe('the origin guard', () => {
  it('checks nothing when no secret is configured', () => {
    expect(originRefusal({ headers: {} }, undefined)).toBeUndefined();
  });

  it('refuses a request without the secret, or with another, as problem+json 403 that no cache keeps', () => {
    for (const headers of [{}, { [originVerifyHeader]: 'guess' }, { [originVerifyHeader]: 's3cret-but-longer' }]) {
      const refusal = originRefusal({ headers }, 's3cret');
      expect(refusal?.statusCode).toBe(403);
      expect(refusal?.headers['content-type']).toBe('application/problem+json');
      expect(refusal?.headers['cache-control']).toBe('no-store');
    }
    expect(originRefusal({ headers: { [originVerifyHeader]: 's3cret' } }, 's3cret')).toBeUndefined();
  });
});
