import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalService } from '../../bin/local/local-service.js';
import { parseSubmission } from '../../functions/controllers/append-events-controller.js';
import { forbiddenCharacter } from '../../functions/domain/common-schemas.js';
import type { SubmittedEvent } from '../../functions/domain/submitted-event.js';
import { appendEvents } from '../../functions/store/append-events.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { startTestService, storeOf } from '../support/local-test-service.js';

/**
 * Events stored before the API refused control and bidirectional characters may still hold
 * them: the status page shows each as a visible escape (`\u202e`), never acting on it.
 */
const talksId = `esc-page-${randomUUID().slice(0, 8)}`;
// Reads "Ceasefire exe.txt" once a browser applies the right-to-left override.
const title = 'Ceasefire \u202etxt.exe';
const by = 'Mediator \u001b[31mRED\u001b]0;pwned\u0007';

let service: LocalService;
let context: BrowserContext | undefined;
const profileDir = mkdtempSync(join(tmpdir(), 'talks-page-escapes-'));
beforeAll(async () => {
  service = await startTestService('escpage');
  const ctx = storeOf(service, { maxAppendAttempts: 5 });
  // As an old event was stored: the schema of today would refuse these strings.
  const [opened, assessed] = parseSubmission({
    events: [
      { type: 'talks.opened', reportedAt: '2025-01-13T12:00:00Z', source: { name: 'Reuters' }, data: { title: 'x', parties: ['A', 'B'] } },
      {
        type: 'progress.assessed',
        reportedAt: '2025-01-14T12:00:00Z',
        source: { name: 'AP' },
        data: { assessment: 'some_progress', by: 'y' },
      },
    ],
  }) as [SubmittedEvent, SubmittedEvent];
  const events = [
    { ...opened, data: { ...opened.data, title } },
    { ...assessed, data: { ...assessed.data, by } },
  ] as SubmittedEvent[];
  await appendEvents(ctx, { talksId, events, principal: 'legacy' });
});
afterAll(async () => {
  await context?.close();
  await service?.stop();
  rmSync(profileDir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('old events with control and bidi characters on the status page', () => {
  it('show each as a visible escape, in the page, its title and the picker', async () => {
    const launched = await launchChromium(profileDir);
    context = launched.context;
    const page = launched.page;
    await page.goto(`${service.url}/?poll=300#${talksId}`);
    await page.locator('#timeline li').nth(1).waitFor({ timeout: 15_000 });
    expect(await page.locator('#talks-title').textContent()).toBe('Ceasefire \\u202etxt.exe');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain('\\u001b[31mRED\\u001b]0;pwned\\u0007');
    // Nothing in the page a browser would act on (its name and where, should one be left).
    expect(forbiddenCharacter(body, true)).toBeUndefined();
    expect(await page.title()).toContain('\\u202e');
    const option = await page.locator(`#talks-picker option[value="${talksId}"]`).textContent();
    expect(option).toContain('\\u202e');
  }, 60_000);
});
