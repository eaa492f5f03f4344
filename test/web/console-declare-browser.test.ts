import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FakeOidcProvider } from '../fakes/oidc/provider.js';
import { eventually } from '../helpers/wait.js';
import type { SlackHarness } from '../helpers/slack-harness.js';
import { launchChromium, SCREENSHOTS, signInAt, startConsoleWithOidc } from './browser.js';

let h: SlackHarness;
let idp: FakeOidcProvider;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  // Alice's company address is also her Slack address: the console acts as her Slack self.
  ({ h, idp, base } = await startConsoleWithOidc({ alice: { email: 'alice@example.com', name: 'Alice A.' } }, {
    ONCALL_FILE: resolve(process.cwd(), 'test/paging/fixtures/oncall-slack.yaml'),
    ROOM_RETRY_FIRST_MS: '100',
    ROOM_RETRY_MAX_MS: '400',
  }));
  browser = await launchChromium();
  page = await browser.newPage({ timezoneId: 'America/New_York', locale: 'en-US' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await idp?.stop();
});

describe('running an incident from the console while Slack is down', () => {
  it('declares an incident while Slack refuses channels, and sees its room open live once Slack accepts again', async () => {
    // Slack is down for channel creation: every conversations.create fails.
    h.fake.failNext('conversations.create', 'fatal_error', { times: 100_000 });

    await page.goto(`${base}/incidents/new`);
    await signInAt(page, 'alice');
    await page.waitForURL(`${base}/incidents/new`);

    await page.fill('#declare-title', 'Card payments declined at checkout');
    await page.selectOption('#declare-severity', 'SEV1');
    await page.selectOption('#declare-team', 'team-search');
    await page.fill('#declare-description', 'Slack is down too; running this from the console');
    await page.screenshot({ path: `${SCREENSHOTS}/declare-form.png`, fullPage: true });
    await page.click('form.declare button[type="submit"]');
    await page.waitForURL(/\/incidents\/\d+$/);
    const number = Number(/(\d+)$/.exec(page.url())![1]);
    await page.waitForSelector('#live-state[data-state="live"]');
    expect(await page.textContent('#card')).toContain('not open yet');
    expect(await page.textContent('h1')).toContain('Card payments declined at checkout');

    const incident = (await h.store.getByNumber(number))!;
    expect(incident.declaredBy).toMatchObject({ platform: 'slack', id: 'U_ALICE' });
    await eventually(() => h.fake.callsTo('conversations.create').filter((c) => c.error).length >= 2, 'Slack to refuse the room a couple of times', 8000);
    expect((await h.store.get(incident.id))?.room).toBeUndefined();

    // Meanwhile, a note from the console.
    await page.fill('#note-text', 'card processor confirms an outage on their side');
    await page.click('form[action$="/note"] button');
    await page.waitForSelector('#timeline li >> text=card processor confirms an outage');
    await page.screenshot({ path: `${SCREENSHOTS}/declared-waiting-for-room.png`, fullPage: true });

    // Slack is back: the room opens by itself and the open page shows it, without a reload.
    h.fake.heal('conversations.create');
    await page.waitForSelector('#timeline li >> text=opened in Slack', { timeout: 15_000 });
    await page.waitForSelector('#card >> text=inc-', { timeout: 5000 });
    const created = h.fake.callsTo('conversations.create').filter((c) => !c.error);
    expect(created).toHaveLength(1);
    const channel = String(created[0]!.args.name);
    expect(channel).toContain('card-payments-declined');
    const opened = (await h.store.get(incident.id))!;
    expect(opened.room?.name).toBe(channel);
    const told = await eventually(() => h.fake.messages(opened.room!.id).find((m) => m.text?.includes('declared from the web console')), 'the room to say where the incident came from');
    expect(told.text).toContain('card processor confirms an outage on their side');
    await page.screenshot({ path: `${SCREENSHOTS}/declared-room-open.png`, fullPage: true });
  }, 60_000);

  it('shows who is on call now per team, times in the viewer’s zone', async () => {
    await page.click('nav >> text=On call');
    await page.waitForURL(`${base}/oncall`);
    expect(await page.textContent('tr[data-team="team-search"][data-level="1"]')).toContain('Alice Archer');
    // The "as of" time is shown in New York time (the browser's zone), not UTC.
    expect(await page.textContent('main p time')).toMatch(/EST|EDT|GMT-[45]/);
    await page.screenshot({ path: `${SCREENSHOTS}/oncall.png`, fullPage: true });
  }, 30_000);
});
