import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, loadScenario, truceScenarioPath } from '../../bin/local/demo-loader.js';
import type { LocalService } from '../../bin/local/local-service.js';
import { chromiumPath, hasChromium, launchChromium } from '../support/chromium.js';
import { postEvents, startTestService } from '../support/local-test-service.js';

/**
 * The status page in Debian's Chromium, driven by playwright-core. CI installs chromium
 * (.ci/run); on a machine without it these tests are skipped, and say so.
 */
if (!hasChromium) console.warn(`Skipping the status page tests: ${chromiumPath} is absent (install it with: apt-get install -y chromium)`);

const scenario = loadScenario();
const id = scenario.talksId;
const truce = loadScenario(truceScenarioPath);
let service: LocalService;
let context: BrowserContext;
let page: Page;
const profileDir = mkdtempSync(join(tmpdir(), 'talks-chromium-'));

const post = (body: unknown, talksId = id) => postEvents(service, talksId, body);
const competingFigure = {
  type: 'figure.reported',
  reportedAt: '2025-01-13T15:00:00Z',
  source: { name: 'Reuters', url: 'https://example.org/report' },
  data: {
    metric: 'killed_in_gaza',
    label: "People killed in Gaza since Israel's offensive began",
    value: 46000,
    unit: 'people',
    qualifier: 'at_least',
    asOf: '2025-01-12',
    originator: 'UN OCHA',
  },
};
const texts = (selector: string) => page.locator(selector).allInnerTexts();
/** What the page's WebSocket received from the live feed. */
const liveFrames: string[] = [];

// Browser globals used inside page.evaluate: the project's tsconfig has no DOM library.
interface BrowserElement {
  childNodes: Iterable<{ nodeType: number; textContent: string | null }>;
  parentElement: BrowserElement | null;
  offsetParent: unknown;
  textContent: string | null;
  closest(selector: string): BrowserElement | null;
}
declare const document: { querySelectorAll(selector: string): Iterable<BrowserElement> };
declare function getComputedStyle(element: BrowserElement): { color: string; backgroundColor: string };

/** The lowest WCAG contrast ratio of any visible text on the page (SVG text counted apart too). */
const worstContrast = (on: Page) =>
  on.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const background = (el: BrowserElement | null): number[] => {
      for (; el !== null; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor);
        if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const ratios = [...document.querySelectorAll('body *')]
      // An SVG element has no offsetParent (undefined, not null): its text counts; its <title> is a tooltip, not drawn.
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim() !== '') && el.offsetParent !== null)
      .filter((el) => el.closest('title') === null)
      .map((el) => {
        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))].sort((x, y) => y - x);
        return { ratio: (a! + 0.05) / (b! + 0.05), text: el.textContent!.trim().slice(0, 40), inSvg: el.closest('svg') !== null };
      });
    return {
      count: ratios.length,
      inDrawings: ratios.filter((r) => r.inSvg).length,
      min: ratios.reduce((m, r) => (r.ratio < m.ratio ? r : m)),
    };
  });

async function screenshotOf(on: Page, file: string) {
  const image = await on.screenshot({ fullPage: true });
  writeFileSync(join(tmpdir(), file), image);
  return pngjs.PNG.sync.read(image);
}

/** Not blank: many colours, and no colour covering nine tenths of the page (every 7th pixel sampled). */
function expectNotBlank(png: pngjs.PNG) {
  const counts = new Map<number, number>();
  for (let i = 0; i < png.data.length; i += 4 * 7) {
    const key = (png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  expect(counts.size).toBeGreaterThan(100);
  expect(Math.max(...counts.values()) / (png.data.length / (4 * 7))).toBeLessThan(0.9);
}

beforeAll(async () => {
  if (!hasChromium) return;
  // The page's live updates come through the feed.
  service = await startTestService('web', { feed: true });
  await loadDemo(service.url, service.token, truce);
  await loadDemo(service.url, service.token, scenario);
  expect((await post(competingFigure)).status).toBe(201);
  const other = {
    type: 'talks.opened',
    reportedAt: '2025-02-01T10:00:00Z',
    source: { name: 'Reuters' },
    data: { title: 'Border talks', parties: ['Aland', 'Borduria'] },
  };
  expect((await post(other, 'border-talks')).status).toBe(201);
  ({ context, page } = await launchChromium(profileDir));
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => liveFrames.push(String(payload))));
  await page.goto(`${service.url}/?poll=300#${id}`);
  await page.locator('#timeline li').nth(scenario.events.length).waitFor({ timeout: 15_000 });
});
afterAll(async () => {
  await context?.close();
  await service?.stop();
  rmSync(profileDir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('the status page in headless Chromium', () => {
  it('shows phase, momentum, participants, deadlines, positions, figures and the timeline with sources', async () => {
    expect(await page.locator('#talks-picker option:checked').innerText()).toContain('Gaza ceasefire');
    expect(await page.locator('h1').innerText()).toBe('Gaza ceasefire and hostage-release talks');
    expect(await page.locator('#phase').innerText()).toBe('active');
    // Judged now: the demo's news (13 January 2025) is too old to judge momentum by.
    expect(await page.locator('#momentum').innerText()).toBe('unknown');
    const participants = await texts('#participants li');
    expect(participants).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Party\s+Israel/),
        expect.stringMatching(/^Party\s+Hamas/),
        expect.stringMatching(/^Mediator\s+Qatar/),
      ]),
    );
    const deadlines = await texts('#deadlines tbody tr');
    expect(deadlines).toHaveLength(3);
    for (const row of deadlines) expect(row).toMatch(/passed \d+ days? ago/);
    const positions = await texts('#positions article');
    expect(positions.map((p) => p.split('\n')[0])).toEqual(['Israel', 'Hamas']);
    expect(positions[0]).toContain('optimistic');
    expect(positions[1]).toContain('no statement');
    const gaza = page.locator('.figure-group', { hasText: 'People killed in Gaza' });
    expect(await gaza.locator('.report').count()).toBe(2);
    expect(await gaza.locator('.report.headline').innerText()).toContain('more than 46,500 people');
    expect(await gaza.innerText()).toContain('Counted by UN OCHA');
    const timeline = await texts('#timeline li');
    expect(timeline[0]).toMatch(/^v19\b[\s\S]*Source: Reuters/);
    expect(timeline.at(-1)).toMatch(/^v1\b[\s\S]*Talks opened[\s\S]*Source: NBC News/);
  });

  it("words every development as the API does: the timeline, the history's summaries and lastDevelopment agree", async () => {
    const status = (await (await fetch(`${service.url}/talks/${id}`)).json()) as {
      version: number;
      lastDevelopment: { version: number; summary: string };
    };
    const history = (await (await fetch(`${service.url}/talks/${id}/events?limit=1000`)).json()) as {
      summaries: { version: number; summary: string }[];
    };
    const newestFirst = [...history.summaries].reverse();
    expect(newestFirst).toHaveLength(status.version);
    // The latest development is the competing figure: its number is where the page's own wording differed.
    expect(newestFirst[0]).toEqual({ version: status.version, summary: status.lastDevelopment.summary });
    expect(await texts('#timeline li .summary')).toEqual(newestFirst.map((s) => s.summary));
    const last = await page.locator('#last-development').innerText();
    expect(last.startsWith(`${status.lastDevelopment.summary} (`), last).toBe(true);
    const detail = await page.locator('#version-detail').innerText();
    expect(detail.endsWith(` — ${status.lastDevelopment.summary}`), detail).toBe(true);
  });

  it('labels every control, and every text meets WCAG AA contrast', async () => {
    const unlabelled = await page.$$eval('input, select, button', (els) =>
      els
        .filter((e) => (e as unknown as { labels?: ArrayLike<unknown> }).labels?.length === 0 && e.textContent?.trim() === '')
        .map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const worst = await worstContrast(page);
    expect(worst.count).toBeGreaterThan(100);
    expect(worst.min.ratio, worst.min.text).toBeGreaterThanOrEqual(4.5);
  });

  it('travels back through versions from the keyboard, using atVersion, and back to the latest', async () => {
    await page.focus('#version-slider');
    const past = page.waitForResponse((r) => r.url().includes('atVersion=1') && r.status() === 200);
    await page.keyboard.press('Home');
    await past;
    await expect.poll(() => page.locator('#version-output').innerText()).toBe(`1 of ${scenario.events.length + 1}`);
    expect(await texts('#participants li')).toHaveLength(4);
    expect(await page.locator('#figures').innerText()).toContain('No figure has been reported');
    expect(await page.locator('#timeline li').count()).toBe(1);
    expect(await page.locator('#back-to-latest').isEnabled()).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('#timeline li').count()).toBe(scenario.events.length + 1);
    expect(await page.locator('#back-to-latest').isEnabled()).toBe(false);
  });

  it('switches to another talks from the picker, and back', async () => {
    expect(await page.locator('#talks-picker option').allInnerTexts()).toHaveLength(3);
    await page.selectOption('#talks-picker', 'border-talks');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Border talks');
    expect(new URL(page.url()).hash).toBe('#border-talks');
    expect(await page.locator('#timeline li').count()).toBe(1);
    expect(await page.locator('#no-deadlines').isVisible()).toBe(true);
    await page.selectOption('#talks-picker', id);
    await expect.poll(() => page.locator('#timeline li').count()).toBe(scenario.events.length + 1);
  });

  it('updates live when a development is appended: the feed announces it over the WebSocket, the page re-reads and says it is live', async () => {
    await expect.poll(() => page.locator('#live-state').innerText()).toBe('Live');
    // Nothing polls: the page's only status reads from now on follow a message.
    const statusReads: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (new URL(r.url()).pathname === `/talks/${id}`) statusReads.push(r.url());
    };
    page.on('request', onRequest);
    const stalled = {
      type: 'talks.stalled',
      occurredAt: '2025-01-14T09:00:00Z',
      reportedAt: '2025-01-14T10:00:00Z',
      source: { name: 'AP' },
      data: { reason: 'Disagreement over the second phase' },
    };
    expect((await post(stalled)).status).toBe(201);
    await expect.poll(() => page.locator('#phase').innerText(), { timeout: 10_000 }).toBe('stalled');
    page.off('request', onRequest);
    expect(liveFrames.map((f) => JSON.parse(f) as { type: string; talksId?: string; version?: number })).toContainEqual(
      expect.objectContaining({ type: 'change', talksId: id, version: 20 }),
    );
    expect(statusReads).toHaveLength(1);
    expect(await page.locator('#talks-picker option:checked').innerText()).toContain('(stalled)');
    expect(await page.locator('#timeline li').first().innerText()).toContain('Talks stalled: Disagreement over the second phase');
    expect(await page.locator('#live-note').innerText()).toMatch(/Updated: 1 new development, now at version 20/);
  });

  it('shows "Reconnecting…" when the feed drops, reconnects, and re-reads what it missed meanwhile', async () => {
    await page.evaluate(() => {
      const box = (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document.getElementById(
        'live-state',
      );
      const seen: string[] = [];
      (globalThis as unknown as { liveStates: string[] }).liveStates = seen;
      new (globalThis as unknown as { MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void } }).MutationObserver(
        () => seen.push(box.textContent),
      ).observe(box, { childList: true, characterData: true, subtree: true });
    });
    service.live.disconnectAll();
    // Appended while the page has no connection: no message will ever announce it.
    const resumed = {
      type: 'talks.resumed',
      occurredAt: '2025-01-15T09:00:00Z',
      reportedAt: '2025-01-15T10:00:00Z',
      source: { name: 'AP' },
      data: { reason: 'Mediators bridged the gap' },
    };
    expect((await post(resumed)).status).toBe(201);
    await expect.poll(() => page.locator('#version').innerText(), { timeout: 15_000 }).toContain('21');
    expect(await page.locator('#phase').innerText()).toBe('active');
    const states = await page.evaluate(() => (globalThis as unknown as { liveStates: string[] }).liveStates);
    expect(states).toContain('Reconnecting…');
    expect(states.at(-1)).toBe('Live');
  });

  it('renders a page that is not blank (screenshot checked pixel by pixel, kept in /tmp)', async () => {
    const png = await screenshotOf(page, 'talks-status-page.png');
    expect(png.width).toBe(1280);
    expect(png.height).toBeGreaterThan(2000);
    expectNotBlank(png);
  });

  it('asks for an access token when reads are private, and shows the status once given one', async () => {
    // The same tables behind a second server whose reads need talks/read.
    const privateService = await startTestService('web', {
      tableNames: service.tableNames,
      readsPublic: false,
    });
    const tab = await context.newPage();
    try {
      const { version } = (await (await fetch(`${service.url}/talks/${id}`)).json()) as { version: number };
      await tab.goto(`${privateService.url}/?poll=300#${id}`);
      await tab.locator('#sign-in').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await tab.locator('#error').innerText()).toMatch(/401|token/i);
      expect(await tab.locator('label[for="token-input"]').innerText()).toBe('Access token');
      // A token without talks/read is refused with a reason, and the form stays.
      const writeOnly = await privateService.auth.issueToken({ scopes: ['talks/write'] });
      await tab.fill('#token-input', writeOnly);
      await tab.press('#token-input', 'Enter');
      await expect.poll(() => tab.locator('#sign-in-why').innerText()).toMatch(/lacks the talks\/read scope/);
      await tab.fill('#token-input', privateService.token);
      await tab.press('#token-input', 'Enter');
      await expect.poll(() => tab.locator('#timeline li').count(), { timeout: 10_000 }).toBe(version);
      expect(await tab.locator('#sign-in').isHidden()).toBe(true);
      expect(await tab.locator('#error').isHidden()).toBe(true);
      expect(await tab.locator('#forget-token').isVisible()).toBe(true);
      // The live feed takes the same token (offered as a bearer.<token> subprotocol: a browser sets no header there).
      await expect.poll(() => tab.locator('#live-state').innerText(), { timeout: 10_000 }).toBe('Live');
    } finally {
      await tab.close();
      await privateService.stop();
    }
  });
});

describe.skipIf(!hasChromium)('the status page on the November 2023 truce', () => {
  const section = (selector: string) => page.locator(selector).innerText();

  beforeAll(async () => {
    if (!hasChromium) return;
    await page.selectOption('#talks-picker', truce.talksId);
    await page
      .locator('#timeline li')
      .nth(truce.events.length - 1)
      .waitFor({ timeout: 15_000 });
  });

  it("shows the agreement's lifecycle: ended, with each dated step and its source, its phase, approvals, extensions and ending", async () => {
    expect(await page.locator('h1').innerText()).toBe('Gaza truce and hostage-release talks (November 2023)');
    expect(await page.locator('#negotiation-phase').innerText()).toBe('active');
    const card = page.locator('#agreements .agreement');
    expect(await card.count()).toBe(1);
    expect(await card.locator('h3').innerText()).toMatch(/^Four-day humanitarian pause\s+ended\b/);
    expect(await card.locator('.agreement-state').innerText()).toBe('ended');
    const steps = await texts('#agreements-chart-table tr.step-row');
    expect(steps).toHaveLength(10);
    expect(steps[0]).toMatch(/^21 Nov 2023 22:00 UTC\s+1\. Approved by Israel's government[\s\S]*\bAP$/);
    expect(steps[4]).toMatch(/^24 Nov 2023 05:00 UTC\s+5\. In force[\s\S]*Reuters$/);
    expect(steps[8]).toMatch(/^1 Dec 2023 04:00 UTC\s+9\. Breached by Israel[\s\S]*Times of Israel$/);
    expect(steps[9]).toMatch(/^1 Dec 2023 05:00 UTC\s+10\. Ended by Israel[\s\S]*Reuters$/);
    expect(await texts('#agreements-chart-table tr.phase-row')).toEqual([
      expect.stringMatching(/^24 Nov 2023 05:00 UTC\s+Phase Pause starts; scheduled end 1 Dec 2023 05:00 UTC/),
    ]);
    const facts = await card.locator('.agreement-facts').innerText();
    expect(facts).toMatch(/in force since 24 Nov 2023 05:00 UTC/);
    expect(facts).toMatch(/expired\s+1 Dec 2023 05:00 UTC, by Israel/);
    expect(await card.locator('.phases tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^Pause\s+24 Nov 2023 05:00 UTC\s+1 Dec 2023 05:00 UTC\s+4 days/),
    ]);
    expect(await card.locator('.approvals li').allInnerTexts()).toEqual([
      expect.stringMatching(/^approved\s+Israel's government[\s\S]*Source: AP$/),
    ]);
    expect(await card.locator('.extensions li').allInnerTexts()).toEqual([
      expect.stringMatching(/^\+2 days to Pause, 27 Nov 2023 15:00 UTC by Qatar · Source: Qatar's foreign ministry$/),
      expect.stringMatching(/^\+1 day to Pause, 30 Nov 2023 04:55 UTC by Qatar · Source: Times of Israel$/),
    ]);
    expect(await section('#mediator-count')).toBe('3 mediating: Qatar, United States, Egypt (3 states)');
  });

  it('totals the exchanges (105 hostages, 240 prisoners; by agreement with those outside it; by group) and sets the competing Thai counts side by side', async () => {
    expect(await section('#exchange-total')).toBe('105 hostages and 240 prisoners');
    expect(await section('#exchange-totals')).toContain('released in 7 exchanges');
    const byAgreement = await texts('#exchange-totals .totals-table:first-of-type tbody tr');
    expect(byAgreement).toEqual([
      expect.stringMatching(/^Four-day humanitarian pause\s+92\s+240$/),
      expect.stringMatching(/^Outside the agreement\s+13\s+—$/),
    ]);
    const hostageGroups = page.locator('#exchange-totals table', { hasText: 'Hostages by group' });
    expect(await hostageGroups.locator('tbody tr').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Thai\s+23$/), expect.stringMatching(/^Israeli\s+78$/)]),
    );
    expect(await page.locator('#exchanges > li').count()).toBe(7);
    const day1 = page.locator('#exchanges [data-exchange="truce-day-1"]');
    const headline = await day1.locator('.count-report.headline').innerText();
    const competing = await day1.locator('.count-report.competing').innerText();
    expect(headline).toContain('10 Thai hostages released by Hamas to Red Cross');
    expect(headline).toMatch(/Source: Reuters$/);
    expect(competing).toContain('12 Thai hostages released by Hamas to Red Cross');
    expect(competing).toContain("Source: Reuters, per Thailand's prime minister [14]");
    // Side by side: the competing count stands to the right of the counted one, on the same row.
    const [a, b] = [
      await day1.locator('.count-report.headline').boundingBox(),
      await day1.locator('.count-report.competing').boundingBox(),
    ];
    expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
    expect(Math.abs(b!.y - a!.y)).toBeLessThan(2);
  });

  it('says how each deadline came out: missed, met, extended', async () => {
    const rows = await texts('#deadlines tbody tr');
    expect(rows).toHaveLength(5);
    const outcomes = await texts('#deadlines tbody .outcome .badge');
    expect(outcomes).toEqual(['missed', 'met', 'extended', 'extended', 'met']);
    expect(rows[0]).toContain('Start of the pause sought by the mediators');
  });

  it('draws the timeline and each figure as named images, each with its text equivalent beside it', async () => {
    const timeline = page.getByRole('img', {
      name: /^Timeline of the negotiation and of Four-day humanitarian pause, 21 Nov 2023 22:00 UTC to 1 Dec 2023 05:00 UTC$/,
    });
    expect(await timeline.count()).toBe(1);
    const describedBy = await timeline.getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).evaluate((e) => (e as unknown as { tagName: string }).tagName)).toBe('TABLE');
    // Ten numbered markers, each with its step and source as a tooltip, matching the table's numbers.
    const markers = timeline.locator('.step');
    expect(await markers.count()).toBe(10);
    expect(await markers.locator('text').allTextContents()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(await markers.nth(9).locator('title').textContent()).toBe('10. Ended — 1 Dec 2023 05:00 UTC — by Israel — source: Reuters');
    expect(await timeline.locator('.bar-label').allTextContents()).toEqual(
      expect.arrayContaining(['active since 20 Oct 2023', 'agreed', 'in force, then ended', 'Pause']),
    );
    expect(await timeline.locator('.moved-end').count()).toBe(2);

    const released = page.getByRole('img', { name: 'hostages released in truce: 2 reports over time, the headline ringed' });
    expect(await released.count()).toBe(1);
    const points = released.locator('.report-point');
    expect(await points.count()).toBe(2);
    expect(await released.locator('.report-point.headline title').textContent()).toMatch(
      /^Headline: 108 people — counted by Mossad, reported by Times of Israel/,
    );
    const reports = page.locator(`#${await released.getAttribute('aria-describedby')}`);
    expect(await reports.innerText()).toMatch(/105 people[\s\S]*108 people/);
    // Every figure has its drawing.
    expect(await page.locator('.figure-group svg[role="img"]').count()).toBe(await page.locator('.figure-group').count());
  });

  it('keeps every text, in the drawings too, at WCAG AA contrast', async () => {
    const worst = await worstContrast(page);
    expect(worst.count).toBeGreaterThan(300);
    expect(worst.inDrawings).toBeGreaterThan(40);
    expect(worst.min.ratio, worst.min.text).toBeGreaterThanOrEqual(4.5);
  });

  it('renders the truce page, not blank (kept as /tmp/talks-status-truce.png)', async () => {
    const png = await screenshotOf(page, 'talks-status-truce.png');
    expect(png.width).toBe(1280);
    expect(png.height).toBeGreaterThan(5000);
    expectNotBlank(png);
  });

  it('shows a corrected figure with its original value, the correction and its reason', async () => {
    const held = (await (await fetch(`${service.url}/talks/${truce.talksId}/events?limit=1000`)).json()) as {
      items: { version: number; type: string; data: { metric?: string } }[];
    };
    const target = held.items.find((e) => e.type === 'figure.reported' && e.data.metric === 'hostages_held')!.version;
    const correction = {
      type: 'report.corrected',
      reportedAt: '2023-11-23T09:00:00Z',
      source: { name: 'AP' },
      data: { targetVersion: target, corrected: { data: { value: 239 } }, reason: 'Israel revised its count', issuedBy: 'source' },
    };
    expect((await post(correction, truce.talksId)).status).toBe(201);
    const card = page.locator('.figure-group', { hasText: 'Hostages held in Gaza' }).locator('.report');
    await expect.poll(() => card.locator('.amount').innerText(), { timeout: 10_000 }).toBe('about 239 people');
    expect(await card.locator('.correction').innerText()).toBe(
      `Corrected (v${truce.events.length + 1}, by the source): value was 240 — reason: Israel revised its count`,
    );
  });

  it('shows a corrected competing count with its original count, the correction and its reason, beside the headline', async () => {
    const held = (await (await fetch(`${service.url}/talks/${truce.talksId}/events?limit=1000`)).json()) as {
      items: { version: number; type: string; data: { exchangeId?: string; released?: Record<string, unknown>[] } }[];
    };
    const [, competing] = held.items.filter((e) => e.type === 'exchange.carried_out' && e.data.exchangeId === 'truce-day-1');
    const released = competing!.data.released!.map((r) => ({ ...r, count: 11 }));
    const correction = {
      type: 'report.corrected',
      reportedAt: '2023-11-25T09:00:00Z',
      source: { name: 'Reuters' },
      data: { targetVersion: competing!.version, corrected: { data: { released } }, reason: 'Misheard', issuedBy: 'editor' },
    };
    expect((await post(correction, truce.talksId)).status).toBe(201);
    const report = page.locator('#exchanges [data-exchange="truce-day-1"] .count-report.competing');
    await expect.poll(() => report.locator('.correction').count(), { timeout: 10_000 }).toBe(1);
    expect(await report.innerText()).toContain('11 Thai hostages released by Hamas to Red Cross');
    expect(await report.locator('.correction').innerText()).toMatch(
      /^Corrected \(v\d+, by the editor\): the count was 12 Thai hostages released by Hamas to Red Cross[\s\S]* — reason: Misheard$/,
    );
    // The headline, and so the totals, stay as counted.
    expect(await section('#exchange-total')).toBe('105 hostages and 240 prisoners');
  });

  it('shows the talks as they stood at a moment of valid time (validAt), judged then: 26 Nov, after day 3', async () => {
    await page.fill('#valid-at-input', '2023-11-26T18:00');
    await page.click('#valid-at-form button[type="submit"]');
    await expect.poll(() => section('#phase'), { timeout: 10_000 }).toBe('in force');
    expect(await page.locator('body.past').count()).toBe(1);
    expect(await section('#version-detail')).toBe('Viewing the past: the talks as they stood on 26 Nov 2023 18:00 UTC, as known now');
    expect(await section('#negotiation-phase')).toBe('active');
    expect(await section('#exchange-total')).toBe('58 hostages and 117 prisoners');
    expect(await page.locator('#exchanges > li').count()).toBe(3);
    const card = page.locator('#agreements .agreement');
    expect(await card.locator('.agreement-state').innerText()).toBe('in force');
    expect(await card.locator('.phases tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^Pause\s+current\s+24 Nov 2023 05:00 UTC\s+28 Nov 2023 05:00 UTC/),
    ]);
    // The scheduled end is still ahead at that moment: not passed, and no outcome yet.
    const end = page.locator('#deadlines tbody tr', { hasText: 'Scheduled end of Pause' });
    expect(await end.count()).toBe(1);
    expect(await end.innerText()).toMatch(/in 1 day 11 hours/);
    // A step's note shows its time for people, not as ISO.
    expect(await texts('#agreements-chart-table tr.step-row')).toContainEqual(
      expect.stringMatching(/Start announced by Qatar — Start 24 Nov 2023 05:00 UTC/),
    );
    await page.click('#back-to-latest');
    await expect.poll(() => section('#phase'), { timeout: 10_000 }).toBe('active');
    expect(await section('#exchange-total')).toBe('105 hostages and 240 prisoners');
    expect(await page.locator('body.past').count()).toBe(0);
  });

  it('opens a link to a moment of valid time (?validAt=): 23 Nov, awaiting the start', async () => {
    await page.goto(`${service.url}/?poll=300&validAt=2023-11-23T18:00Z#${truce.talksId}`);
    await expect.poll(() => section('#phase'), { timeout: 15_000 }).toBe('agreed');
    expect(await page.locator('#agreements .agreement .agreement-state').innerText()).toBe('agreed');
    expect(await page.inputValue('#valid-at-input')).toBe('2023-11-23T18:00');
    expect(await page.locator('#exchanges > li').count()).toBe(0);
  });
});
