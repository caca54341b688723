/**
 * A small shared cache that honours RFC 9111 the way the API's headers ask: in memory, keyed
 * on method and URL, GET only. It keeps what `public, max-age` allows, serves it stale while
 * one background request revalidates (`stale-while-revalidate`), revalidates with
 * If-None-Match when it holds an ETag (a 304 refreshes the stored answer), never revalidates
 * an `immutable` answer while fresh, and stores nothing `private` or `no-store`. Concurrent
 * misses on one key share one origin request, as CloudFront's do. Time comes from a clock the
 * caller drives, so the counts do not depend on how fast the machine is.
 */
export interface OriginAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Origin = (url: string, headers: Record<string, string>) => Promise<OriginAnswer>;

interface Entry {
  answer: OriginAnswer;
  storedAt: number;
  maxAge: number;
  staleWhileRevalidate: number;
}

export interface ProxyCounts {
  reads: number;
  /** Served from the store without waiting: fresh, or stale while a revalidation runs. */
  fresh: number;
  stale: number;
  /** Waited for an origin request (their own or one already in flight for the key). */
  waited: number;
  originRequests: number;
  /** Origin requests answered 304: a revalidation that moved no bytes. */
  notModified: number;
}

export type Served = OriginAnswer & { cache: 'fresh' | 'stale' | 'miss' | 'pass' };

/** The directives a shared cache acts on; anything unknown is ignored (RFC 9111, 5.2). */
export function parseCacheControl(value: string | undefined) {
  const directives = new Map<string, string | true>();
  for (const part of (value ?? '').split(',')) {
    const [name, arg] = part.trim().toLowerCase().split('=', 2) as [string, string | undefined];
    if (name !== '') directives.set(name, arg ?? true);
  }
  const seconds = (name: string) => {
    const v = directives.get(name);
    return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  return {
    storable: !directives.has('no-store') && !directives.has('private'),
    noCache: directives.has('no-cache'),
    maxAge: seconds('s-maxage') ?? seconds('max-age'),
    staleWhileRevalidate: seconds('stale-while-revalidate') ?? 0,
    immutable: directives.has('immutable'),
  };
}

export class CachingProxy {
  readonly counts: ProxyCounts = { reads: 0, fresh: 0, stale: 0, waited: 0, originRequests: 0, notModified: 0 };
  private readonly store = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<OriginAnswer>>();
  private readonly background: Promise<unknown>[] = [];

  constructor(
    private readonly origin: Origin,
    private readonly now: () => number,
  ) {}

  async get(url: string): Promise<Served> {
    this.counts.reads++;
    const key = `GET ${url}`;
    const entry = this.store.get(key);
    if (entry !== undefined) {
      const age = (this.now() - entry.storedAt) / 1000;
      if (age < entry.maxAge) {
        this.counts.fresh++;
        return { ...entry.answer, cache: 'fresh' };
      }
      if (age < entry.maxAge + entry.staleWhileRevalidate) {
        this.counts.stale++;
        if (!this.inFlight.has(key)) this.background.push(this.fetch(key, url, entry).catch(() => undefined));
        return { ...entry.answer, cache: 'stale' };
      }
    }
    this.counts.waited++;
    const shared = this.inFlight.get(key);
    if (shared !== undefined) {
      const answer = await shared;
      // Another caller's private or no-store answer is theirs alone: ask again.
      if (parseCacheControl(answer.headers['cache-control']).storable) return { ...answer, cache: 'miss' };
    }
    const answer = await this.fetch(key, url, entry, shared === undefined);
    return { ...answer, cache: parseCacheControl(answer.headers['cache-control']).storable ? 'miss' : 'pass' };
  }

  /** Waits for the revalidations started in the background. */
  async settle(): Promise<void> {
    await Promise.all(this.background.splice(0));
  }

  private fetch(key: string, url: string, stored: Entry | undefined, share = true): Promise<OriginAnswer> {
    const etag = stored?.answer.headers.etag;
    const request = (async () => {
      this.counts.originRequests++;
      let answer = await this.origin(url, etag === undefined ? {} : { 'if-none-match': etag });
      if (answer.status === 304 && stored !== undefined) {
        this.counts.notModified++;
        // The 304's headers update the stored ones (RFC 9111, 4.3.4); the body stays.
        answer = { ...stored.answer, headers: { ...stored.answer.headers, ...answer.headers } };
      }
      this.keep(key, answer);
      return answer;
    })();
    if (!share) return request;
    this.inFlight.set(key, request);
    return request.finally(() => this.inFlight.delete(key));
  }

  private keep(key: string, answer: OriginAnswer): void {
    const policy = parseCacheControl(answer.headers['cache-control']);
    // Only what the origin explicitly allows: no heuristic freshness for this API's answers.
    if (!policy.storable || policy.maxAge === undefined || answer.status !== 200) {
      if (!policy.storable) this.store.delete(key);
      if (answer.status === 404 && policy.storable && policy.maxAge !== undefined) {
        this.store.set(key, { answer, storedAt: this.now(), maxAge: policy.maxAge, staleWhileRevalidate: 0 });
      }
      return;
    }
    const maxAge = policy.noCache ? 0 : policy.maxAge;
    this.store.set(key, { answer, storedAt: this.now(), maxAge, staleWhileRevalidate: policy.staleWhileRevalidate });
  }
}
