import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessment, checkTalks, fingerprint, opening, startTrustService, type TrustService } from './support/trust-service.js';

/**
 * Load and races over HTTP: many writers on one talks, many talks at once, and clients
 * that resend everything. Every accepted development is stored once, versions have no
 * gap, and each status equals the replay of its log. A 503 (busy) is allowed only as an
 * invitation to resend the same event: after the resend nothing may be missing.
 */
let trust: TrustService;
beforeAll(async () => {
  trust = await startTrustService();
});
afterAll(async () => {
  await trust?.service.stop();
});

/** Runs tasks with at most `limit` in flight, like a client's connection pool. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

/** Posts until the server stops saying "busy", as a client honouring Retry-After would. */
async function deliver(talksId: string, body: unknown, statuses: number[]): Promise<number> {
  // A loaded shared machine can keep a request past the function's time limit more than once:
  // the client backs off (200 ms doubling, at most 3 s), as one honouring Retry-After would.
  const attempts = 8;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const { status } = await trust.post(talksId, body);
    statuses.push(status);
    // After a busy answer, a replay (200) means that attempt's write had landed: stored once, as asked.
    if (status === 200 && attempt > 0) return 201;
    if (status !== 503) return status;
    await new Promise((r) => setTimeout(r, Math.min(3000, 200 * 2 ** attempt)));
  }
  throw new Error(`still busy after ${attempts - 1} resends: ${talksId}`);
}

describe('50 concurrent writers on one talks', () => {
  const talksId = `load-${randomUUID().slice(0, 6)}`;
  const eventIds = Array.from({ length: 100 }, () => randomUUID());

  it('stores every development once, gapless, with the status equal to the replay', async () => {
    expect((await trust.post(talksId, opening())).status).toBe(201);
    const statuses: number[] = [];
    const started = Date.now();
    // 50 writers, each sending two developments one after the other.
    await Promise.all(
      Array.from({ length: 50 }, async (_, w) => {
        for (const eventId of eventIds.slice(w * 2, w * 2 + 2))
          expect(await deliver(talksId, assessment(`Writer ${w}`, eventId), statuses)).toBe(201);
      }),
    );
    const { versions, eventIds: stored } = await checkTalks(trust.store, talksId);
    expect(versions).toBe(101);
    expect(new Set(stored.slice(1))).toEqual(new Set(eventIds));
    const busy = statuses.filter((s) => s === 503).length;
    // The local server queues appends to one talks in its process: none races, none is busy.
    expect(busy).toBe(0);
    console.log(
      `load: 50 writers, 100 developments on one talks in ${Date.now() - started} ms; ${busy} busy answers resent; ${versions - 1} stored, 0 lost`,
    );
  }, 120_000);

  it('an idempotent retry storm writes nothing twice', async () => {
    const before = await fingerprint(trust.store, [talksId]);
    // Every event resent three times at once, singly and in batches, by 50 clients.
    const singles = eventIds.flatMap((eventId, i) => [0, 1, 2].map(() => assessment(`Writer ${Math.floor(i / 2)}`, eventId)));
    const batches = Array.from({ length: 10 }, (_, b) => ({
      events: eventIds.slice(b * 10, b * 10 + 10).map((eventId, i) => assessment(`Writer ${Math.floor((b * 10 + i) / 2)}`, eventId)),
    }));
    const statuses: number[] = [];
    await pool([...singles, ...batches], 50, async (body) => {
      statuses.push(await deliver(talksId, body, []));
    });
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(await fingerprint(trust.store, [talksId])).toEqual(before);
    // The same id with other content is a conflict, not a silent overwrite.
    const changed = await trust.post(talksId, assessment('Someone else', eventIds[0]));
    expect(changed.status).toBe(409);
    expect(await fingerprint(trust.store, [talksId])).toEqual(before);
    await checkTalks(trust.store, talksId);
    console.log(
      `retry storm: ${statuses.length} resent submissions (${singles.length} single, ${batches.length} batches of 10), 0 written twice`,
    );
  }, 120_000);
});

describe('200 talks written in parallel', () => {
  const ids = Array.from({ length: 200 }, (_, i) => `many-${String(i).padStart(3, '0')}-${randomUUID().slice(0, 4)}`);

  it('each is whole and listed once', async () => {
    const started = Date.now();
    const statuses: number[] = [];
    await pool(ids, 25, async (talksId) => {
      // Every event carries its id: a 503 may follow a write that landed (a timed-out request on a
      // loaded machine), and only the same eventId makes the resend a replay, as the README tells clients.
      expect(await deliver(talksId, { ...opening(`Talks ${talksId}`), eventId: randomUUID() }, statuses)).toBe(201);
      expect(await deliver(talksId, { events: [assessment('A', randomUUID()), assessment('B', randomUUID())] }, statuses)).toBe(201);
      expect(await deliver(talksId, assessment('C', randomUUID()), statuses)).toBe(201);
    });
    await pool(ids, 10, async (talksId) => {
      expect((await checkTalks(trust.store, talksId)).versions).toBe(4);
    });
    // The list pages through all of them, each once, most recent first.
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = (await (await fetch(`${trust.service.url}/talks?limit=100${query}`)).json()) as {
        items: { talksId: string; updatedAt: string }[];
        nextCursor: string | null;
      };
      listed.push(...page.items.map((t) => t.talksId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(listed.filter((id) => id.startsWith('many-')).sort()).toEqual([...ids].sort());
    console.log(
      `load: 200 talks, 800 developments, 25 clients at once, in ${Date.now() - started} ms; ${statuses.filter((s) => s === 503).length} busy answers`,
    );
  }, 240_000);
});
