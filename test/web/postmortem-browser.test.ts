import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Incident } from '../../src/domain/incident.js';
import { PostmortemStore } from '../../src/store/postmortems.js';
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
  ({ h, idp, base } = await startConsoleWithOidc({ maria: { email: 'maria@example.com', name: 'Maria Lopez' } }));
  await h.driver.slashCommand({ text: 'Payments API timing out', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.room?.cardId), 'the incident with its room');
  await h.settle();
  await h.driver.slashCommand({ text: 'postmortem', userId: 'U_ALICE', channelId: incident.room!.id });
  await eventually(() => new PostmortemStore(h.sitrep.redis, h.prefix).get(incident.id), 'the postmortem draft', 30_000);
  browser = await launchChromium();
  page = await browser.newPage({ acceptDownloads: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await idp?.stop();
});

describe('the postmortem in Chromium', () => {
  it('edits a prompt with a blaming word marked as it is typed, saves it, and finds the edit in the downloaded Markdown', async () => {
    await page.goto(`${base}/incidents/${incident.number}/postmortem/edit`);
    await signInAt(page, 'maria');
    await page.waitForURL(`${base}/incidents/${incident.number}/postmortem/edit`);

    const prompt = page.locator('section.prompt', { has: page.locator('h3', { hasText: 'What went poorly' }) });
    const box = prompt.locator('textarea[name="text"]');
    await box.click();
    await box.pressSequentially('The pool filled up because someone broke the limit config', { delay: 5 });
    // Marked while typing, before anything is saved.
    await prompt.locator('.blameless-live mark', { hasText: 'someone broke' }).waitFor({ timeout: 5000 });
    expect(await prompt.locator('.blameless-live li').first().textContent()).toContain('Make the change the subject, not the person');
    await page.screenshot({ path: `${SCREENSHOTS}/postmortem-blameless-live.png`, fullPage: true });

    // Reworded: the mark goes away as the text changes.
    await box.fill('The pool filled up because the limit config change was not load tested.');
    await box.dispatchEvent('input');
    await expect.poll(() => prompt.locator('.blameless-live mark').count()).toBe(0);

    await prompt.locator('button[type="submit"]').click();
    await page.waitForSelector('[role="status"] >> text=Saved.');
    expect(await page.locator('section.prompt', { has: page.locator('h3', { hasText: 'What went poorly' }) }).locator('.saved').textContent()).toContain('saved by Maria Lopez');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download Markdown")')]);
    expect(download.suggestedFilename()).toBe(`INC-${incident.number}-postmortem.md`);
    const markdown = await readFile((await download.path())!, 'utf8');
    expect(markdown).toContain('## What went poorly\n\nThe pool filled up because the limit config change was not load tested.');
    await page.goto(`${base}/incidents/${incident.number}/postmortem/history`);
    expect(await page.textContent('table.history')).toContain('Maria Lopez');
    await page.screenshot({ path: `${SCREENSHOTS}/postmortem-history.png`, fullPage: true });
  }, 60_000);
});
