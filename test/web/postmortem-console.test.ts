import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { PostmortemEdits } from '../../src/store/postmortem-edits.js';
import { PostmortemStore } from '../../src/store/postmortems.js';
import { SessionCookies, SESSION_COOKIE } from '../../src/web/session.js';
import { consoleWithOwnSessions } from './own-sessions.js';
import { FakeConfluence } from '../postmortem/fake-confluence.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';

const SECRET = 'postmortem-console-secret-0123456789';
const HOUR = 3_600_000;

let h: SlackHarness;
let confluence: FakeConfluence;
let incident: Incident;

const sessions = () => new SessionCookies(SECRET, HOUR);
const maria = sessions().issue({ email: 'maria@example.com', name: 'Maria Lopez' });
const ken = sessions().issue({ email: 'ken@example.com', name: 'Ken Ito' });
const cookie = (s: typeof maria) => `${SESSION_COOKIE}=${s.value}`;

async function slash(text: string): Promise<void> {
  const res = await h.driver.slashCommand({ text, userId: 'U_ALICE', channelId: incident.room!.id });
  expect(res.status).toBe(200);
  await h.settle();
}

const base = () => `/incidents/${incident.number}/postmortem`;
const get = (path: string, who = maria) => fetch(`${h.sitrep.url}${path}`, { redirect: 'manual', headers: { cookie: cookie(who) } });
const post = (path: string, form: Record<string, string>, who = maria) =>
  fetch(`${h.sitrep.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: cookie(who), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

/** The editor as a person sees it: each prompt's form action, its revision and the page's CSRF token. */
async function openEditor(who = maria) {
  const res = await get(`${base()}/edit`, who);
  expect(res.status).toBe(200);
  const page = await res.text();
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page)![1]!;
  const forms = [...page.matchAll(/<h3 id="p-([0-9a-f]{12})-q">([^<]*)<\/h3>[\s\S]*?name="base" value="(\d+)"/g)].map((m) => ({ id: m[1]!, heading: m[2]!, base: m[3]! }));
  return { page, csrf, forms, prompt: (heading: string) => forms.find((f) => f.heading.includes(heading))! };
}

beforeAll(async () => {
  confluence = await FakeConfluence.start();
  h = await startSlackHarness(
    consoleWithOwnSessions(SECRET, { CONFLUENCE_URL: confluence.baseUrl, CONFLUENCE_USER: confluence.user, CONFLUENCE_TOKEN: confluence.token, CONFLUENCE_SPACE: 'ENG' }),
  );
  await h.driver.slashCommand({ text: 'Checkout returns 500', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.room?.cardId), 'the incident with its room');
  await h.settle();
  await slash('postmortem');
  await eventually(() => new PostmortemStore(h.sitrep.redis, h.prefix).get(incident.id), 'the first draft', 30_000);
  // The draft's own export to Confluence; the console's button updates that page later.
  await eventually(() => confluence.pages.size === 1 || undefined, 'the page the draft made', 30_000);
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await confluence?.stop();
});

describe('editing the postmortem prompts in the console', { timeout: 60_000 }, () => {
  it('a saved answer replaces its prompt in the page, the Markdown and the HTML download, and is kept as version 1 by its author', async () => {
    const editor = await openEditor();
    const howMany = editor.prompt('How many?');
    expect(howMany.base).toBe('0');
    const saved = await post(`${base()}/prompts/${howMany.id}`, { _csrf: editor.csrf, base: '0', text: '1,240 failed checkouts <EU> & R&D' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${base()}/edit?saved=${howMany.id}#p-${howMany.id}`);

    const markdown = await (await get(`${base()}.md`)).text();
    expect(markdown).toContain('- **How many?** 1,240 failed checkouts <EU> & R&D');
    const download = await get(`${base()}.html`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="INC-${incident.number}-postmortem.html"`);
    const doc = await download.text();
    expect(doc).toContain('1,240 failed checkouts &lt;EU&gt; &amp; R&amp;D');
    expect(doc).not.toContain('&amp;amp;');
    expect(await (await get(base())).text()).toContain('1,240 failed checkouts &lt;EU&gt; &amp; R&amp;D');

    const [edit] = await new PostmortemEdits(h.sitrep.redis, h.prefix).history(incident.id);
    expect(edit).toMatchObject({ version: 1, promptId: howMany.id, before: '', after: '1,240 failed checkouts <EU> & R&D', by: { platform: 'web', id: 'maria@example.com', name: 'Maria Lopez' } });
  });

  it('two people editing the same prompt: the later save gets a 409 naming who saved first, keeps both texts and writes nothing', async () => {
    const mariaOpens = await openEditor(maria);
    const kenOpens = await openEditor(ken);
    const wentWell = mariaOpens.prompt('What went well');
    expect(kenOpens.prompt('What went well').base).toBe(wentWell.base);

    expect((await post(`${base()}/prompts/${wentWell.id}`, { _csrf: mariaOpens.csrf, base: wentWell.base, text: 'The pool alert fired before customers noticed.' }, maria)).status).toBe(303);
    const late = await post(`${base()}/prompts/${wentWell.id}`, { _csrf: kenOpens.csrf, base: wentWell.base, text: 'Ken: the runbook for the pool worked.' }, ken);
    expect(late.status).toBe(409);
    const page = await late.text();
    expect(page).toContain('Not saved: Maria Lopez saved this prompt');
    expect(page).toContain('The pool alert fired before customers noticed.');
    expect(page).toContain('>Ken: the runbook for the pool worked.</textarea>');
    const answers = await new PostmortemEdits(h.sitrep.redis, h.prefix).answers(incident.id);
    expect(answers.get(wentWell.id)).toMatchObject({ text: 'The pool alert fired before customers noticed.', revision: 1 });

    // Ken merges and saves from the revision the 409 page gave him.
    const merged = /name="base" value="(\d+)"/.exec(page)![1]!;
    expect(merged).toBe('1');
    expect((await post(`${base()}/prompts/${wentWell.id}`, { _csrf: kenOpens.csrf, base: merged, text: 'The pool alert fired before customers noticed; the runbook worked.' }, ken)).status).toBe(303);

    const history = await (await get(`${base()}/history`)).text();
    expect(history).toContain('Ken Ito');
    // Ken's version shows what he added to Maria's text, and her text before it.
    expect(history).toContain('The pool alert fired before customers noticed<ins>; the runbook worked</ins>.');
    expect(history).toContain('<summary>Text before</summary><blockquote>The pool alert fired before customers noticed.</blockquote>');
  });

  it('a save without the page token is refused and writes nothing', async () => {
    const editor = await openEditor();
    const prompt = editor.prompt('Where we got lucky');
    const res = await post(`${base()}/prompts/${prompt.id}`, { base: '0', text: 'forged' });
    expect(res.status).toBe(403);
    expect((await new PostmortemEdits(h.sitrep.redis, h.prefix).answers(incident.id)).has(prompt.id)).toBe(false);
  });

  it('a blaming answer is flagged on the server-rendered form too (without script)', async () => {
    const editor = await openEditor();
    const poorly = editor.prompt('What went poorly');
    await post(`${base()}/prompts/${poorly.id}`, { _csrf: editor.csrf, base: poorly.base, text: 'Someone broke the pool config; human error.' });
    const page = (await openEditor()).page;
    expect(page).toContain('2 blaming phrases to reword');
    expect(page).toContain('<strong>Someone broke</strong>');
  });

  it('the next redraft in Slack carries the answers written in the console', async () => {
    const uploads = () => h.fake.files.filter((f) => f.name === `INC-${incident.number}-postmortem.md`);
    const before = uploads().length;
    await slash('postmortem');
    const file = await eventually(() => uploads()[before], 'the redrafted file in the room', 30_000);
    const text = file.bytes.toString('utf8');
    expect(text).toContain('- **How many?** 1,240 failed checkouts <EU> & R&D');
    expect(text).toContain('The pool alert fired before customers noticed; the runbook worked.');
  });

  it('publishes to Confluence from the console: the same page is updated with the answers, and the timeline says who', async () => {
    const page = await (await get(base())).text();
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page)![1]!;
    expect(page).toContain('Update in Confluence');
    const puts = confluence.requests.filter((r) => r.method === 'PUT').length;
    const res = await post(`${base()}/confluence`, { _csrf: csrf, key: 'publish-0001' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${base()}?published=1`);
    const update = confluence.requests.filter((r) => r.method === 'PUT')[puts]!;
    expect(update.path).toMatch(/^\/wiki\/rest\/api\/content\/\d+$/);
    expect(confluence.pages.size).toBe(1);
    const stored = [...confluence.pages.values()][0]!.storage;
    expect(stored).toContain('1,240 failed checkouts &lt;EU&gt; &amp; R&amp;D');
    const events = await h.store.timeline(incident.id);
    expect(events.filter((e) => e.type === 'postmortem_exported' && e.format === 'confluence').at(-1)).toMatchObject({ actor: { platform: 'web', id: 'maria@example.com' } });
    expect(await (await get(`${base()}?published=1`)).text()).toContain('Published to Confluence');
  });

  it('shows nothing of the draft without a session', async () => {
    for (const path of [base(), `${base()}/edit`, `${base()}/history`]) {
      const res = await fetch(`${h.sitrep.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(302);
    }
    for (const path of [`${base()}.md`, `${base()}.html`, '/console/assets/blameless.js']) {
      const res = await fetch(`${h.sitrep.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(401);
      expect(await res.text()).not.toContain('Checkout');
    }
    const res = await fetch(`${h.sitrep.url}${base()}/prompts/0123456789ab`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'base=0&text=x' });
    expect(res.status).toBe(401);
  });
});
