import { describe, expect, it } from 'vitest';
import { CachingProxy, type OriginAnswer } from '../../harness/caching-proxy.js';

/** An origin that answers with the given Cache-Control and counts what it is asked. */
function originWith(cacheControl: string, etag?: string) {
  const asked: Record<string, string>[] = [];
  const body = 'v1';
  const origin = async (_url: string, headers: Record<string, string>): Promise<OriginAnswer> => {
    asked.push(headers);
    if (etag !== undefined && headers['if-none-match'] === etag)
      return { status: 304, headers: { 'cache-control': cacheControl, etag }, body: '' };
    return { status: 200, headers: { 'cache-control': cacheControl, ...(etag === undefined ? {} : { etag }) }, body };
  };
  return { origin, asked };
}

describe('the bench caching proxy', () => {
  it('serves a fresh answer from the store, then stale while one request revalidates, then waits', async () => {
    const { origin, asked } = originWith('public, max-age=5, stale-while-revalidate=30');
    const clock = { t: 0 };
    const proxy = new CachingProxy(origin, () => clock.t);
    expect((await proxy.get('/a')).cache).toBe('miss');
    clock.t = 4_999;
    expect((await proxy.get('/a')).cache).toBe('fresh');
    clock.t = 6_000;
    expect((await proxy.get('/a')).cache).toBe('stale');
    await proxy.settle();
    expect(asked).toHaveLength(2);
    clock.t = 6_000 + 40_000;
    expect((await proxy.get('/a')).cache).toBe('miss');
    expect(proxy.counts).toMatchObject({ reads: 4, fresh: 1, stale: 1, waited: 2, originRequests: 3 });
  });

  it('revalidates with If-None-Match and keeps the body on a 304', async () => {
    const { origin, asked } = originWith('public, max-age=5', '"7"');
    const clock = { t: 0 };
    const proxy = new CachingProxy(origin, () => clock.t);
    await proxy.get('/s');
    clock.t = 10_000;
    const again = await proxy.get('/s');
    expect(asked[1]).toEqual({ 'if-none-match': '"7"' });
    expect(again).toMatchObject({ status: 200, body: 'v1' });
    expect(proxy.counts.notModified).toBe(1);
  });

  it('keeps an immutable answer for its whole max-age', async () => {
    const { origin, asked } = originWith('public, max-age=31536000, immutable');
    const clock = { t: 0 };
    const proxy = new CachingProxy(origin, () => clock.t);
    for (const t of [0, 1_000, 86_400_000]) {
      clock.t = t;
      await proxy.get('/v?atVersion=1');
    }
    expect(asked).toHaveLength(1);
  });

  it('stores nothing private or no-store, and never hands one caller another caller’s private answer', async () => {
    for (const header of ['private, no-cache', 'no-store', 'private, max-age=31536000, immutable']) {
      const { origin, asked } = originWith(header);
      const proxy = new CachingProxy(origin, () => 0);
      const served = await Promise.all([proxy.get('/p'), proxy.get('/p'), proxy.get('/p')]);
      expect(served.map((s) => s.cache)).toEqual(['pass', 'pass', 'pass']);
      expect(asked, header).toHaveLength(3);
    }
  });

  it('shares one origin request among concurrent misses of a storable answer', async () => {
    const { origin, asked } = originWith('public, max-age=5');
    const proxy = new CachingProxy(origin, () => 0);
    await Promise.all(Array.from({ length: 10 }, () => proxy.get('/c')));
    expect(asked).toHaveLength(1);
    expect(proxy.counts).toMatchObject({ reads: 10, waited: 10, originRequests: 1 });
  });
});
