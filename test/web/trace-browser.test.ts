import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Incident } from '../../src/domain/incident.js';
import type { FakeBackend } from '../triage/helpers/fake-backend.js';
import { eventually } from '../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { launchChromium, SCREENSHOTS } from './browser.js';
import { cascadeJaeger, triageCascade, triageFrom } from './cascade-trace.js';

// An incident lead opens the trace picture from the incident page in Chromium. Sign-in is the trusted
// header of an authenticating proxy (the OpenID Connect flow has its own browser test), set by the
// browser the way oauth2-proxy would add it.


let jaeger: FakeBackend;
let h: SlackHarness;
let browser: Browser;
let page: Page;
let incident: Incident;
const problems: string[] = [];

beforeAll(async () => {
  jaeger = await cascadeJaeger();
  h = await startSlackHarness({
    ...triageFrom(jaeger),
    WEB_CONSOLE: 'on',
    PUBLIC_URL: 'http://127.0.0.1',
    WEB_AUTH: 'header',
    WEB_TRUSTED_PROXIES: '127.0.0.1',
    WEB_SESSION_SECRET: 'trace-browser-session-secret-0123456789',
  });
  await h.driver.slashCommand({ text: 'Nobody can log in', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  const declared = await eventually(async () => (await h.store.listOpen()).find((i) => i.room?.cardId), 'the incident with its room');
  incident = await triageCascade(h, declared);
  browser = await launchChromium();
  page = await browser.newPage({ extraHTTPHeaders: { 'x-forwarded-email': 'maria@example.com' } });
  // A CSP violation or a failed load would show as a console error.
  page.on('console', (m) => void (m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text())));
  page.on('response', (r) => void (r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`)));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await jaeger?.close();
});

describe('the trace picture in Chromium', () => {
  it('opens from the incident page by keyboard and shows the waterfall with its evidence', async () => {
    await page.goto(`${h.sitrep.url}/incidents/${incident.number}`);
    await page.focus('a[data-link="trace-picture"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${h.sitrep.url}/incidents/${incident.number}/trace`);
    const image = page.locator('#trace-picture');
    await eventually(async () => (await image.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth)) === 1000, 'the picture to load');
    expect(await image.getAttribute('alt')).toMatch(/^Trace waterfall: the failure starts in `user-directory`/);
    expect(await page.textContent('.trace-evidence')).toMatch(/Failure path: storefront \d+ → checkout \d+ → auth \d+ → user-directory/);
    await page.screenshot({ path: `${SCREENSHOTS}/trace-picture.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SCREENSHOTS}/trace-picture-dark.png`, fullPage: true });
    // Nothing blocked by the CSP, nothing failed to load (the browser's own favicon request aside).
    expect(problems).toEqual([]);
  }, 30_000);

  it('offers the PNG the room got as a download', async () => {
    const link = page.locator(`a[href="/incidents/${incident.number}/trace.png"]`);
    expect(await link.getAttribute('download')).toBe(`INC-${incident.number}-trace.png`);
    const res = await page.request.get(`${h.sitrep.url}/incidents/${incident.number}/trace.png`);
    expect(res.headers()['content-type']).toBe('image/png');
    expect((await res.body()).subarray(1, 4).toString('ascii')).toBe('PNG');
  }, 30_000);
});
