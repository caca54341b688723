import { describe, expect, it } from 'vitest';
import { backoffMs, stepAfterFailure } from '../../functions/webhooks/retry-policy.js';

const settings = { firstRetryMs: 1_000, maxRetryDelayMs: 8_000, retryForMs: 60_000 };

describe('webhook retries', () => {
  it('back off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, settings))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('dead-letter once the next attempt would fall past the bound from the first queueing', () => {
    const queued = '2026-01-01T00:00:00.000Z';
    expect(stepAfterFailure(1, queued, new Date('2026-01-01T00:00:10.000Z'), settings)).toEqual({ kind: 'retry', delayMs: 1_000 });
    expect(stepAfterFailure(9, queued, new Date('2026-01-01T00:00:51.000Z'), settings)).toEqual({ kind: 'retry', delayMs: 8_000 });
    expect(stepAfterFailure(9, queued, new Date('2026-01-01T00:00:53.000Z'), settings).kind).toBe('dead-letter');
  });

  it("wait at least as long as asked (a paused receiver's probe interval)", () => {
    const queued = '2026-01-01T00:00:00.000Z';
    expect(stepAfterFailure(1, queued, new Date(queued), settings, 30_000)).toEqual({ kind: 'retry', delayMs: 30_000 });
  });
});
