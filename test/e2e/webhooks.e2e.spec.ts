import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalService } from '../../bin/local/local-service.js';
import { json } from '../support/json.js';
import { startTestService } from '../support/local-test-service.js';
import { eventually, type Received, type Receiver, startReceiver } from '../support/webhook-receiver.js';

let service: LocalService;
let receiver: Receiver;
const suffix = randomUUID().slice(0, 8);

beforeAll(async () => {
  receiver = await startReceiver();
  service = await startTestService('wh', {
    feed: true,
    allowPrivateWebhooks: true,
    // Short bounds so that retries and the dead letter happen within the test.
    webhookSettings: { firstRetryMs: 50, maxRetryDelayMs: 200, retryForMs: 2_000, pauseAfterFailures: 1_000, probeEveryMs: 100 },
  });
});
afterAll(async () => {
  await service?.stop();
  await receiver?.close();
});

const api = (path: string, init: RequestInit = {}, token: string | null = service.token) =>
  fetch(`${service.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...init.headers },
  });

async function subscribe(path: string, filters: Record<string, unknown> = {}) {
  const response = await api('/subscriptions', { method: 'POST', body: JSON.stringify({ url: `${receiver.url}${path}`, ...filters }) });
  expect(response.status).toBe(201);
  const body = await json(response);
  receiver.secrets.set(path, body.secret);
  return body as { subscriptionId: string; secret: string; state: string; url: string };
}

const opened = (title: string) => ({
  type: 'talks.opened',
  reportedAt: '2025-01-13T12:00:00Z',
  source: { name: 'Reuters', anonymous: false },
  data: { title, parties: ['Israel', 'Hamas'], mediators: ['Qatar'] },
});
const assessed = () => ({
  type: 'progress.assessed',
  reportedAt: '2025-01-14T10:00:00Z',
  source: { name: 'Reuters', anonymous: false },
  data: { assessment: 'some_progress', by: 'A mediator' },
});

async function append(talksId: string, body: unknown) {
  const response = await api(`/talks/${talksId}/events`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBe(201);
}

/** Each talks's versions in the order first received, after dropping repeats of a webhook-id. */
function deduplicated(path: string): Map<string, Received[]> {
  const seen = new Set<string>();
  const byTalks = new Map<string, Received[]>();
  for (const r of receiver.received.filter((x) => x.path === path)) {
    if (seen.has(r.webhookId)) continue;
    seen.add(r.webhookId);
    byTalks.set(r.body.talksId, [...(byTalks.get(r.body.talksId) ?? []), r]);
  }
  return byTalks;
}

const deliveries = async (subscriptionId: string) => json(await api(`/subscriptions/${subscriptionId}/deliveries`));

describe('webhooks on the local server', () => {
  it('delivers every one of 200 appends across 20 talks, signed, once after deduplication and in version order per talks', async () => {
    const subscription = await subscribe('/all', { talksIds: Array.from({ length: 20 }, (_, i) => `wh-${suffix}-${i}`) });
    expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(subscription.state).toBe('active');
    // Four writers, five talks each, interleaved: the talks' changes cross on the stream. (Few
    // writers: one DynamoDB Local on a shared machine serves the API, the feed and the webhooks.)
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        for (let v = 1; v <= 10; v += 1)
          for (let k = 0; k < 5; k += 1) {
            const i = writer * 5 + k;
            await append(`wh-${suffix}-${i}`, v === 1 ? opened(`Talks ${i}`) : assessed());
          }
      }),
    );
    await eventually('200 distinct deliveries', () => [...deduplicated('/all').values()].flat().length >= 200);
    const byTalks = deduplicated('/all');
    expect(byTalks.size).toBe(20);
    for (const [talksId, list] of byTalks) {
      expect(
        list.map((r) => r.body.version),
        talksId,
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const r of list) expect(r.body.summary.version).toBe(r.body.version);
    }
    expect(receiver.unverified).toEqual([]);
  }, 300_000);

  it('retries a receiver that answers 500 for a while, in order, and shows the attempts', async () => {
    const talksId = `wh-flaky-${suffix}`;
    const subscription = await subscribe('/flaky', { talksIds: [talksId] });
    receiver.answer = (path, n) => (path === '/flaky' && n <= 3 ? 500 : 200);
    await append(talksId, opened('Flaky'));
    await append(talksId, assessed());
    await append(talksId, assessed());
    await eventually('three deliveries to /flaky', () => (deduplicated('/flaky').get(talksId)?.length ?? 0) >= 3);
    expect(
      deduplicated('/flaky')
        .get(talksId)
        ?.map((r) => r.body.version),
    ).toEqual([1, 2, 3]);
    const attempts = (await deliveries(subscription.subscriptionId)).items as { outcome: string; statusCode?: number; version: number }[];
    expect(attempts.filter((a) => a.outcome === 'failed').length).toBe(3);
    expect(attempts.filter((a) => a.outcome === 'failed').every((a) => a.statusCode === 500 && a.version === 1)).toBe(true);
    expect(
      attempts
        .filter((a) => a.outcome === 'delivered')
        .map((a) => a.version)
        .sort(),
    ).toEqual([1, 2, 3]);
  }, 180_000);

  it('dead-letters a delivery the receiver keeps refusing once the bounded time is over, then goes on with the next', async () => {
    const talksId = `wh-down-${suffix}`;
    const subscription = await subscribe('/down', { talksIds: [talksId] });
    receiver.answer = (path) => (path === '/down' ? 500 : 200);
    await append(talksId, opened('Down'));
    await eventually('a dead letter', async () =>
      ((await deliveries(subscription.subscriptionId)).items as { outcome: string }[]).some((a) => a.outcome === 'dead-lettered'),
    );
    const attempts = (await deliveries(subscription.subscriptionId)).items as { outcome: string; version: number }[];
    expect(attempts.filter((a) => a.outcome === 'failed').length).toBeGreaterThan(1);
    expect(attempts.filter((a) => a.outcome === 'delivered')).toEqual([]);
    // The receiver recovers: the next change is delivered (the dead-lettered one is not re-sent).
    receiver.answer = () => 200;
    await append(talksId, assessed());
    await eventually('the next delivery', () => (deduplicated('/down').get(talksId)?.length ?? 0) >= 1);
    expect(
      deduplicated('/down')
        .get(talksId)
        ?.map((r) => r.body.version),
    ).toEqual([2]);
  }, 180_000);

  it('catches up with no gap after the consumer was stopped and the stream lost what it held', async () => {
    const talksId = `wh-catchup-${suffix}`;
    await subscribe('/catchup', { talksIds: [talksId] });
    await append(talksId, opened('Catch-up'));
    await eventually('the first delivery', () => (deduplicated('/catchup').get(talksId)?.length ?? 0) >= 1);
    await service.feed.stop();
    for (let i = 0; i < 5; i += 1) await append(talksId, assessed());
    // Back after the stream's retention: reading from LATEST, its records of those five are gone.
    await service.feed.start({ startingPosition: 'LATEST' });
    await append(talksId, assessed());
    await eventually('seven deliveries', () => (deduplicated('/catchup').get(talksId)?.length ?? 0) >= 7);
    const list = deduplicated('/catchup').get(talksId) ?? [];
    expect(list.map((r) => r.body.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(list.slice(1, 6).every((r) => r.body.replayed)).toBe(true);
    expect(list[0]?.body.replayed).toBe(false);
  }, 180_000);

  it('ends a subscription: 204, then its deliveries are a 404', async () => {
    const subscription = await subscribe('/ended');
    const deleted = await api(`/subscriptions/${subscription.subscriptionId}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const after = await api(`/subscriptions/${subscription.subscriptionId}/deliveries`);
    expect(after.status).toBe(404);
    expect(after.headers.get('content-type')).toContain('application/problem+json');
  });

  it('needs the talks/subscribe scope', async () => {
    const reader = await service.auth.issueToken({ scopes: ['talks/read', 'talks/write'] });
    const response = await api('/subscriptions', { method: 'POST', body: JSON.stringify({ url: `${receiver.url}/x` }) }, reader);
    expect(response.status).toBe(403);
    const anonymous = await api('/subscriptions', { method: 'POST', body: JSON.stringify({ url: `${receiver.url}/x` }) }, null);
    expect(anonymous.status).toBe(401);
  });
});

describe('webhook targets without --allow-private-webhooks', () => {
  let strict: LocalService;
  beforeAll(async () => {
    // Only the refusal of each target: nothing here is delivered, so no feed.
    strict = await startTestService('whs');
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.7/hook',
    'https://192.168.1.1/hook',
    'https://user:pass@example.com/hook',
    'ftp://example.com/hook',
  ])('refuses %s with a 400 naming url', async (url) => {
    const response = await fetch(`${strict.url}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${strict.token}` },
      body: JSON.stringify({ url }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(response);
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
  });
});
