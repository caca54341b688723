import { describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../functions/composition/runtime.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { ContentionError } from '../../functions/store/store-errors.js';
import { opened, submitted } from '../support/event-builders.js';
import { createTestStore } from '../support/test-store.js';
import { injectFaults } from '../trust/support/fault-injection.js';

describe('the append retry budget', () => {
  it('gives up on an endless race with 503 busy well inside the Lambda timeout, writing nothing', async () => {
    const doc = createDocumentClient({ endpoint: inject('dynamoEndpoint'), credentials: inject('dynamoCredentials') });
    const injector = injectFaults(doc);
    const store = await createTestStore({ doc, maxAppendAttempts: 10_000, appendRetryBudgetMs: 1_500 });
    await appendEvents(store.ctx, { talksId: 'budget', events: [opened()], principal: 'a' });
    injector.plan({ command: 'TransactWriteItems', fault: 'conflict', times: Infinity });
    const started = Date.now();
    const error = await appendEvents(store.ctx, { talksId: 'budget', events: [submitted('talks.stalled', {})], principal: 'a' }).catch(
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    const attempts = injector.attempts.get('TransactWriteItems');
    injector.plan(undefined);
    expect(error).toBeInstanceOf(ContentionError);
    // The budget plus one last attempt, far below the 10 s Lambda timeout.
    expect(elapsed).toBeLessThan(5_000);
    expect(attempts).toBeGreaterThan(1);
    const after = await appendEvents(store.ctx, { talksId: 'budget', events: [submitted('talks.stalled', {})], principal: 'a' });
    expect(after.events[0]?.version).toBe(2);
  });
});
