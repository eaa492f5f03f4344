import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import type { EventOf, TimelineEvent } from '../../src/domain/timeline.js';
import { formatDuration } from '../../src/postmortem/time.js';
import { PostmortemStore } from '../../src/store/postmortems.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { FakeConfluence } from './fake-confluence.js';

/** One Slack workspace with sitrep in it; incidents are declared and worked through slash commands. */
function room(h: SlackHarness) {
  const drafts = () => new PostmortemStore(h.sitrep.redis, h.prefix);
  const declare = async (title: string): Promise<Incident> => {
    await h.driver.slashCommand({ text: title, userId: 'U_ALICE', channelId: 'C_GENERAL' });
    const incident = await waitFor(async () => (await h.store.listOpen()).find((i) => i.title === title && i.room?.cardId), `incident "${title}"`);
    await h.settle();
    return incident;
  };
  const run = async (incident: Incident, text: string, userId = 'U_ALICE') => {
    const before = (await h.store.timeline(incident.id)).length;
    const res = await h.driver.slashCommand({ text, userId, channelId: incident.room!.id });
    expect(res.status).toBe(200);
    // Bolt works after the ack: wait until the command has landed on the timeline (or had its say).
    const answered = () => h.fake.workspace.responses.some((x) => x.id === res.responseUrlId && x.via === 'response_url');
    await waitFor(async () => (await h.store.timeline(incident.id)).length > before || answered(), `"/incident ${text}" to take effect`);
    await h.settle();
  };
  const postmortemFile = (incident: Incident) => h.fake.files.filter((f) => f.name === `INC-${incident.number}-postmortem.md` && f.channels.includes(incident.room!.id));
  const channelTexts = (incident: Incident) => h.fake.messages(incident.room!.id).map((m) => m.text ?? '');
  const timeline = (incident: Incident) => h.store.timeline(incident.id);
  const exports = async (incident: Incident) => (await timeline(incident)).filter((e): e is EventOf<'postmortem_exported'> => e.type === 'postmortem_exported');
  return { drafts, declare, run, postmortemFile, channelTexts, timeline, exports };
}

const at = (e: TimelineEvent | undefined) => Date.parse(e!.at);

// The Slack adapter paces posts to one per second per channel, as Slack asks: what the bot says after a
// close queues behind what it said before, so waits are generous.
const PACED_MS = 30_000;
const waitFor = <T>(probe: () => T | Promise<T>, what: string) => eventually(probe, what, PACED_MS);

describe('closing an incident in Slack drafts the postmortem', { timeout: 90_000 }, () => {
  let h: SlackHarness;
  let r: ReturnType<typeof room>;
  beforeAll(async () => {
    h = await startSlackHarness({ TIME_ZONE: 'Europe/Berlin' });
    r = room(h);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a worked incident, closed by its lead, leaves a stored draft and the Markdown file in the channel with every section, exact metrics and flagged blame', async () => {
    const incident = await r.declare('Checkout returns 500');
    const channel = incident.room!.id;
    await r.run(incident, 'status investigating looking at the pool', 'U_BOB');
    await r.run(incident, 'sev 1');
    await r.run(incident, 'scribe <@U_BOB|bob>');
    await r.run(incident, 'owner team-a');
    await r.run(incident, 'owner team-b not ours', 'U_BOB');

    const ts = await h.driver.userMessage(channel, 'U_CAROL', 'pool at 100%');
    await h.driver.reactionAdded({ userId: 'U_BOB', reaction: 'pushpin', channelId: channel, itemTs: ts });
    await waitFor(async () => (await r.timeline(incident)).some((e) => e.type === 'message_captured'), 'the message to be captured');
    await h.driver.messageChanged({ channelId: channel, ts, text: 'payments pool at 100%' });
    await waitFor(async () => (await r.timeline(incident)).some((e) => e.type === 'message_edited'), 'the edit to be recorded');

    await r.run(incident, "note It was dave's fault, he broke the pool config", 'U_BOB');
    await r.run(incident, 'action alert on pool saturation <@U_CAROL|carol>');
    await r.run(incident, 'status monitoring pool resized');
    await r.run(incident, 'resolve pool resized, checkout recovered');
    await r.run(incident, 'close');

    const [file] = await waitFor(() => (r.postmortemFile(incident).length ? r.postmortemFile(incident) : undefined), 'the postmortem file in the channel');
    const markdown = file!.bytes.toString('utf8');
    // The draft records its file just after Slack took the upload.
    const stored = await waitFor(async () => {
      const draft = await r.drafts().get(incident.id);
      return draft?.file ? draft : undefined;
    }, 'the stored draft to record its file');
    expect(stored).toMatchObject({ incidentId: incident.id, revision: 1, generatedBy: { id: 'U_ALICE' }, file: { id: file!.id } });
    expect(stored?.markdown).toBe(markdown);

    expect(markdown.startsWith(`# INC-${incident.number}: Checkout returns 500 — postmortem (draft)\n`)).toBe(true);
    for (const heading of ['Summary', 'Impact', 'Response metrics', 'Suspected origin', 'Contributing factors', 'What went well', 'What went poorly', 'Where we got lucky', '5 Whys', 'Action items', 'Blameless language check', 'Timeline']) {
      expect(markdown).toContain(`\n## ${heading}\n`);
    }
    expect(markdown).toContain('| **Status** | closed |');
    expect(markdown).toContain('| **Severity** | SEV1 (Critical), the highest reached; declared as SEV3 |');
    expect(markdown).toContain('| **Roles** | lead alice · comms unassigned · scribe bob |');
    expect(markdown).toContain('| **Participants** | alice, bob, carol |');
    expect(markdown).toContain('| **Time zone** | Europe/Berlin (');
    expect(markdown).toContain('\npool resized, checkout recovered\n\n_From the resolve summary');

    // The numbers, checked against the events Redis holds.
    const events = await r.timeline(incident);
    const declared = events.find((e) => e.type === 'declared');
    const monitoring = events.find((e) => e.type === 'status_changed' && e.to === 'monitoring');
    const resolved = events.find((e) => e.type === 'resolved');
    expect(markdown).toContain(`| Time to mitigate | ${formatDuration(at(monitoring) - at(declared))} | declared → first moved to monitoring |`);
    expect(markdown).toContain(`| Time to resolve | ${formatDuration(at(resolved) - at(declared))} | declared → resolved |`);
    expect(markdown).toContain('| Team hand-offs | 1 | hops from the first suspected team to the team that owned the fix | team-a → team-b:');
    // Nothing was alerted or paged here: those are not measured rather than invented.
    expect(markdown).toContain('| Time to detect | **not measured** | first alert → declared | no alert fired for this incident');
    expect(markdown).toContain('| Time to acknowledge | **not measured** | first page → first acknowledgement | nobody was paged |');
    // team-b, which it ended with, was first assigned by bob's hand-off.
    const toTeamB = events.find((e) => e.type === 'owner_changed' && e.toTeam === 'team-b');
    expect(markdown).toContain(`| Time to the right team | ${formatDuration(at(toTeamB) - at(declared))} | declared → the team it ended with was first assigned |`);

    expect(markdown).toMatch(/Message from carol \(captured via reaction\): "payments pool at 100%" — \[message\]\(https?:\/\/\S+\)\n {2}Edited at \d\d:\d\d:\d\d by carol; earlier text: "pool at 100%"/);
    expect(markdown).toContain('- [ ] alert on pool saturation — owner: carol · status: open');
    expect(markdown).toContain('- **"dave\'s fault"** in the note by bob at ');
    expect(markdown).toContain('- **"he broke"** in the note by bob at ');

    await waitFor(() => r.channelTexts(incident).find((t) => t.includes(`Postmortem draft of INC-${incident.number} (revision 1, by <@U_ALICE>) is attached`)), 'the message about the draft');
    expect(r.channelTexts(incident).find((t) => t.includes('Postmortem draft of'))).toContain('2 blaming phrases to reword');
    expect(await r.exports(incident)).toMatchObject([{ format: 'markdown', actor: { id: 'U_ALICE' } }]);
  });

  it('the Close button after resolve drafts it too', async () => {
    const incident = await r.declare('Search is slow');
    await r.run(incident, 'resolve');
    const card = h.fake.messages(incident.room!.id).find((m) => m.ts === incident.room!.cardId)!;
    await h.driver.blockAction({ userId: 'U_ALICE', actionId: 'sitrep_close', value: incident.id, channelId: incident.room!.id, messageTs: card.ts });
    await waitFor(() => r.postmortemFile(incident)[0], 'the postmortem file');
    await h.settle();
    expect((await h.store.get(incident.id))?.status).toBe('closed');
    expect((await r.drafts().get(incident.id))?.markdown).toContain('| Time to resolve |');
  });

  it('/incident postmortem drafts on demand at any time, and each redraft is a new revision', async () => {
    const incident = await r.declare('Login broken');
    await r.run(incident, 'postmortem', 'U_BOB');
    const reply = await waitFor(() => h.fake.ephemerals().find((e) => e.user === 'U_BOB' && e.text.includes(`Postmortem draft of INC-${incident.number} (revision 1)`)), 'the reply');
    expect(reply.text).toContain(`It is attached in this channel as INC-${incident.number}-postmortem.md.`);
    expect(r.postmortemFile(incident)).toHaveLength(1);
    expect(r.postmortemFile(incident)[0]!.bytes.toString()).toContain('| **Status** | declared |');
    expect(r.postmortemFile(incident)[0]!.bytes.toString()).toContain('✏️ **To write:** no resolve summary was given.');

    await r.run(incident, 'status investigating');
    await r.run(incident, 'postmortem', 'U_BOB');
    await waitFor(() => r.postmortemFile(incident).length === 2, 'the second draft');
    const stored = await r.drafts().get(incident.id);
    expect(stored?.revision).toBe(2);
    expect(stored?.markdown).toContain('| **Status** | investigating |');
    expect((await r.exports(incident)).map((e) => e.key)).toEqual(['postmortem:1:markdown', 'postmortem:2:markdown']);
  });

  it('a failed upload is said in the channel and in the reply; the draft is still stored', async () => {
    const incident = await r.declare('Upload path broken');
    h.fake.failNext('files.completeUploadExternal', 'not_in_channel');
    await r.run(incident, 'postmortem');
    const warning = await waitFor(() => r.channelTexts(incident).find((t) => t.includes('Could not attach')), 'the warning in the channel');
    expect(warning).toContain(`The draft is stored with the incident; export it with: npx sitrep postmortem ${incident.number}`);
    const reply = await waitFor(() => h.fake.ephemerals().find((e) => e.user === 'U_ALICE' && e.text.includes(`Postmortem draft of INC-${incident.number} (revision 1)`)), 'the reply');
    expect(reply.text).toContain('It could not be attached in the channel:');
    expect((await r.drafts().get(incident.id))?.markdown).toContain('## Response metrics');
    expect((await r.drafts().get(incident.id))?.file).toBeUndefined();
  });

  it('/incident postmortem outside an incident channel explains where it works', async () => {
    await h.driver.slashCommand({ text: 'postmortem', userId: 'U_CAROL', channelId: 'C_OPS' });
    await waitFor(() => h.fake.ephemerals().find((e) => e.user === 'U_CAROL' && e.text.includes('works inside an incident channel')), 'the hint');
  });
});

describe("a team's own postmortem template", { timeout: 90_000 }, () => {
  let h: SlackHarness;
  let r: ReturnType<typeof room>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-pm-'));
    const path = join(dir, 'postmortem.md');
    writeFileSync(path, '# Incident review {{label}}\n\nOwner of the review: {{lead}}\n\n{{metrics}}\n\n## Follow-ups\n\n{{action_items}}\n');
    h = await startSlackHarness({ POSTMORTEM_TEMPLATE: path });
    r = room(h);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('shapes the draft shared at close', async () => {
    const incident = await r.declare('Queue backlog');
    await r.run(incident, 'action drain the dead-letter queue');
    await r.run(incident, 'resolve');
    await r.run(incident, 'close');
    const [file] = await waitFor(() => (r.postmortemFile(incident).length ? r.postmortemFile(incident) : undefined), 'the postmortem file');
    const markdown = file!.bytes.toString();
    expect(markdown.startsWith(`# Incident review INC-${incident.number}\n\nOwner of the review: alice\n\n| Metric | Value |`)).toBe(true);
    expect(markdown).toContain('## Follow-ups\n\n- [ ] drain the dead-letter queue — owner: unassigned · status: open');
    expect(markdown).not.toContain('## Timeline');
  });
});

describe('exporting the postmortem to Confluence', { timeout: 90_000 }, () => {
  let h: SlackHarness;
  let r: ReturnType<typeof room>;
  let confluence: FakeConfluence;
  beforeAll(async () => {
    confluence = await FakeConfluence.start();
    h = await startSlackHarness({ CONFLUENCE_URL: confluence.baseUrl, CONFLUENCE_USER: confluence.user, CONFLUENCE_TOKEN: confluence.token, CONFLUENCE_SPACE: 'ENG' });
    r = room(h);
  });
  afterAll(async () => {
    await h?.stop();
    await confluence?.stop();
  });

  it('creates a page in the space, posts its link in the channel and records it on the timeline; a redraft updates the same page', async () => {
    confluence.failWith = undefined;
    const incident = await r.declare('Payments <timeout> & retries');
    await r.run(incident, 'resolve pool resized');
    await r.run(incident, 'close');
    const link = await waitFor(() => r.channelTexts(incident).find((t) => t.includes('in Confluence:')), 'the Confluence link in the channel');

    const create = confluence.requests.find((q) => q.method === 'POST')!;
    expect(create.path).toBe('/wiki/rest/api/content');
    expect(create.body).toMatchObject({ type: 'page', title: `INC-${incident.number}: Payments <timeout> & retries — postmortem`, space: { key: 'ENG' }, body: { storage: { representation: 'storage' } } });
    const page = [...confluence.pages.values()][0]!;
    expect(page.storage).toContain(`<h1>INC-${incident.number}: Payments &lt;timeout&gt; &amp; retries — postmortem (draft)</h1>`);
    expect(page.storage).toContain('<h2>Response metrics</h2>');
    expect(page.storage).not.toContain('<timeout>');
    const url = `${confluence.baseUrl}/spaces/ENG/pages/${page.id}`;
    expect(link).toContain(url);
    await h.settle();
    expect((await r.exports(incident)).find((e) => e.format === 'confluence')).toMatchObject({ url });
    expect((await r.drafts().get(incident.id))?.confluence).toEqual({ pageId: page.id, url });

    await r.run(incident, 'postmortem');
    await waitFor(() => confluence.requests.some((q) => q.method === 'PUT'), 'the page update');
    expect(confluence.pages.size).toBe(1);
    expect(page.version).toBe(2);
    const reply = await waitFor(() => h.fake.ephemerals().find((e) => e.user === 'U_ALICE' && e.text.includes(`INC-${incident.number} (revision 2)`)), 'the reply');
    expect(reply.text).toContain(`Confluence: ${url}`);
  });

  it('a rejected token is reported in the channel with what to check; the draft is still stored and attached', async () => {
    confluence.failWith = undefined;
    confluence.token = 'rotated-token';
    try {
      const incident = await r.declare('Cache stampede');
      await r.run(incident, 'postmortem');
      const warning = await waitFor(() => r.channelTexts(incident).find((t) => t.includes('Could not export')), 'the warning in the channel');
      expect(warning).toContain('Confluence refused the credentials (HTTP 401). Check CONFLUENCE_USER (the account email) and CONFLUENCE_TOKEN');
      expect(warning).toContain('The draft is not lost: it is stored with the incident and attached in this channel');
      expect(warning).not.toContain('confluence-test-token');
      expect(r.postmortemFile(incident)).toHaveLength(1);
      expect((await r.drafts().get(incident.id))?.markdown).toContain('## Response metrics');
      await h.settle();
      expect((await r.exports(incident)).map((e) => [e.format, e.error ? 'error' : 'ok'])).toEqual([['markdown', 'ok'], ['confluence', 'error']]);
      const reply = await waitFor(() => h.fake.ephemerals().find((e) => e.user === 'U_ALICE' && e.text.includes(`INC-${incident.number} (revision 1)`)), 'the reply');
      expect(reply.text).toContain('Confluence export failed: Confluence refused the credentials (HTTP 401)');
    } finally {
      confluence.token = 'confluence-test-token';
    }
  });

  it('Confluence being down at close is reported in the channel, and the draft is still stored and attached', async () => {
    confluence.failWith = 500;
    try {
      const incident = await r.declare('Disk full on db-3');
      await r.run(incident, 'resolve');
      await r.run(incident, 'close');
      const warning = await waitFor(() => r.channelTexts(incident).find((t) => t.includes('Could not export')), 'the warning in the channel');
      expect(warning).toContain('Confluence is not answering properly (HTTP 500). Try again later with /incident postmortem.');
      await waitFor(() => r.postmortemFile(incident)[0], 'the file');
      expect((await r.drafts().get(incident.id))?.revision).toBe(1);
      await h.settle();
      expect((await r.exports(incident)).find((e) => e.format === 'confluence')?.error).toMatch(/HTTP 500/);
    } finally {
      confluence.failWith = undefined;
    }
  });
});
