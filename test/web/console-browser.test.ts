import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Incident } from '../../src/domain/incident.js';
import type { FakeOidcProvider } from '../fakes/oidc/provider.js';
import { eventually } from '../helpers/wait.js';
import type { SlackHarness } from '../helpers/slack-harness.js';
import { launchChromium, SCREENSHOTS, signInAt, startConsoleWithOidc } from './browser.js';

let h: SlackHarness;
let idp: FakeOidcProvider;
let browser: Browser;
let page: Page;
let base: string;
let incident: Incident;

beforeAll(async () => {
  ({ h, idp, base } = await startConsoleWithOidc({ maria: { email: 'maria@example.com', name: 'Maria Lopez' }, eve: { email: 'eve@elsewhere.test', name: 'Eve' } }));
  await h.driver.slashCommand({ text: 'Payments API timing out', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.room?.cardId), 'the incident with its room');
  await h.settle();
  browser = await launchChromium();
  page = await browser.newPage({ timezoneId: 'Asia/Tokyo', locale: 'en-GB' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await idp?.stop();
});

const signIn = (login: string) => signInAt(page, login);

describe('the web console in Chromium', () => {
  it('refuses someone outside the allowed domains after a real OpenID Connect sign-in', async () => {
    await page.goto(`${base}/incidents`);
    expect(page.url()).toContain(idp.issuer);
    await signIn('eve');
    await page.waitForURL(`${base}/auth/callback**`);
    expect(await page.textContent('main')).toContain('eve@elsewhere.test is not in a domain allowed');
    await page.screenshot({ path: `${SCREENSHOTS}/signin-refused.png` });
  }, 30_000);

  it('signs in through the provider and lands on the incident list, times in the viewer’s zone', async () => {
    await page.context().clearCookies();
    await page.goto(`${base}/incidents/${incident.number}`);
    await signIn('maria');
    await page.waitForURL(`${base}/incidents/${incident.number}`);
    await page.goto(`${base}/incidents`);
    await page.waitForSelector('text=Payments API timing out');
    expect(await page.textContent('header')).toContain('Maria Lopez');
    await page.screenshot({ path: `${SCREENSHOTS}/incident-list.png`, fullPage: true });
  }, 30_000);

  it('shows the incident and brings a Slack note onto its timeline live, without a reload', async () => {
    await page.click(`a[href="/incidents/${incident.number}"] >> nth=0`);
    await page.waitForSelector('#live-state[data-state="live"]');
    // Declared at … shown in Tokyo time (the browser's zone), not UTC.
    expect(await page.textContent('#timeline li time')).toMatch(/GMT\+9|JST/);
    const ack = await h.driver.slashCommand({ text: 'note failing over the payments database', userId: 'U_ALICE', channelId: incident.room!.id });
    expect(ack.status).toBe(200);
    await page.waitForSelector('#timeline li >> text=failing over the payments database', { timeout: 5000 });
    await page.screenshot({ path: `${SCREENSHOTS}/incident-live.png`, fullPage: true });
  }, 30_000);

  it('acts from the console as the signed-in person: a note and a status change land on the timeline', async () => {
    await page.fill('#note-text', 'customer support informed');
    await page.click('form[action$="/note"] button');
    await page.waitForSelector('#timeline li >> text=customer support informed');
    await page.selectOption('#status-to', 'investigating');
    await page.click('form[action$="/status"] button');
    await page.waitForSelector('[data-field="status"] >> text=investigating');
    const events = await h.store.timeline(incident.id);
    expect(events.find((e) => e.type === 'note' && e.text === 'customer support informed')?.actor).toEqual({ platform: 'web', id: 'maria@example.com', name: 'Maria Lopez' });
    expect(events.some((e) => e.type === 'status_changed' && e.to === 'investigating' && e.actor.platform === 'web')).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/incident-acted.png`, fullPage: true });
  }, 30_000);

  it('signs out: the session cookie is gone and the console answers that browser 401', async () => {
    await page.click('form[action="/auth/signout"] button');
    await page.waitForURL(`${base}/auth/signed-out`);
    expect((await page.context().cookies(base)).map((c) => c.name)).not.toContain('sitrep_session');
    expect((await page.request.get(`${base}/api/incidents`)).status()).toBe(401);
  }, 30_000);
});
