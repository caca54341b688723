import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDemo, loadScenario } from '../../bin/local/demo-loader.js';
import { type LocalService, startLocalService } from '../../bin/local/local-service.js';

/**
 * The status page in Debian's Chromium, driven by playwright-core. CI installs chromium
 * (.ci/run); on a machine without it these tests are skipped, and say so.
 */
const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`Skipping the status page tests: ${chromiumPath} is absent (install it with: apt-get install -y chromium)`);

const scenario = loadScenario();
const id = scenario.talksId;
let service: LocalService;
let context: BrowserContext;
let page: Page;
const profileDir = mkdtempSync(join(tmpdir(), 'talks-chromium-'));

const post = (body: unknown) =>
  fetch(`${service.url}/talks/${id}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
    body: JSON.stringify(body),
  });
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

// Browser globals used inside page.evaluate: the project's tsconfig has no DOM library.
interface BrowserElement {
  childNodes: Iterable<{ nodeType: number; textContent: string | null }>;
  parentElement: BrowserElement | null;
  offsetParent: unknown;
  textContent: string | null;
}
declare const document: { querySelectorAll(selector: string): Iterable<BrowserElement> };
declare function getComputedStyle(element: BrowserElement): { color: string; backgroundColor: string };

beforeAll(async () => {
  if (!hasChromium) return;
  const suffix = randomUUID().slice(0, 8);
  service = await startLocalService({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    dynamoCredentials: inject('dynamoCredentials'),
    tableNames: { events: `web-events-${suffix}`, state: `web-state-${suffix}` },
  });
  await loadDemo(service.url, service.token, scenario);
  expect((await post(competingFigure)).status).toBe(201);
  const other = {
    type: 'talks.opened',
    reportedAt: '2025-02-01T10:00:00Z',
    source: { name: 'Reuters' },
    data: { title: 'Border talks', parties: ['Aland', 'Borduria'] },
  };
  const opened = await fetch(`${service.url}/talks/border-talks/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
    body: JSON.stringify(other),
  });
  expect(opened.status).toBe(201);
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
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
    const worst = await page.evaluate(() => {
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
        .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim() !== '') && el.offsetParent !== null)
        .map((el) => {
          const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))].sort((x, y) => y - x);
          return { ratio: (a! + 0.05) / (b! + 0.05), text: el.textContent!.trim().slice(0, 40) };
        });
      return { count: ratios.length, min: ratios.reduce((m, r) => (r.ratio < m.ratio ? r : m)) };
    });
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
    expect(await page.locator('#talks-picker option').allInnerTexts()).toHaveLength(2);
    await page.selectOption('#talks-picker', 'border-talks');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Border talks');
    expect(new URL(page.url()).hash).toBe('#border-talks');
    expect(await page.locator('#timeline li').count()).toBe(1);
    expect(await page.locator('#no-deadlines').isVisible()).toBe(true);
    await page.selectOption('#talks-picker', id);
    await expect.poll(() => page.locator('#timeline li').count()).toBe(scenario.events.length + 1);
  });

  it('refreshes by itself when a development arrives, polling with If-None-Match', async () => {
    const notModified = page.waitForResponse((r) => r.url().endsWith(`/talks/${id}`) && r.status() === 304);
    await notModified;
    const stalled = {
      type: 'talks.stalled',
      occurredAt: '2025-01-14T09:00:00Z',
      reportedAt: '2025-01-14T10:00:00Z',
      source: { name: 'AP' },
      data: { reason: 'Disagreement over the second phase' },
    };
    expect((await post(stalled)).status).toBe(201);
    await expect.poll(() => page.locator('#phase').innerText(), { timeout: 10_000 }).toBe('stalled');
    expect(await page.locator('#talks-picker option:checked').innerText()).toContain('(stalled)');
    expect(await page.locator('#timeline li').first().innerText()).toContain('Talks stalled: Disagreement over the second phase');
    expect(await page.locator('#live-note').innerText()).toMatch(/Updated: 1 new development, now at version 20/);
  });

  it('renders a page that is not blank (screenshot checked pixel by pixel, kept in /tmp)', async () => {
    const image = await page.screenshot({ fullPage: true });
    writeFileSync(join(tmpdir(), 'talks-status-page.png'), image);
    const png = pngjs.PNG.sync.read(image);
    expect(png.width).toBe(1280);
    expect(png.height).toBeGreaterThan(2000);
    const counts = new Map<number, number>();
    for (let i = 0; i < png.data.length; i += 4 * 7) {
      const key = (png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const samples = png.data.length / (4 * 7);
    expect(counts.size).toBeGreaterThan(100);
    expect(Math.max(...counts.values()) / samples).toBeLessThan(0.9);
  });

  it('asks for an access token when reads are private, and shows the status once given one', async () => {
    // The same tables behind a second server whose reads need talks/read.
    const privateService = await startLocalService({
      port: 0,
      dynamoEndpoint: inject('dynamoEndpoint'),
      dynamoCredentials: inject('dynamoCredentials'),
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
    } finally {
      await tab.close();
      await privateService.stop();
    }
  });
});
