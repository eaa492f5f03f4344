import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_POSTMORTEM_CARD_BYTES, postmortemCard } from '../../../src/chat/teams/postmortem-card.js';
import type { Incident } from '../../../src/domain/incident.js';
import type { PostmortemView } from '../../../src/incidents/chat-port.js';
import { webConsoleUrl } from '../../../src/postmortem/console-link.js';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';
import { eventually } from '../../helpers/wait.js';
import { FakeConfluence } from '../../postmortem/fake-confluence.js';

let h: TeamsHarness;
let confluence: FakeConfluence;
beforeAll(async () => {
  confluence = await FakeConfluence.start();
  h = await startTeamsHarness({ CONFLUENCE_URL: confluence.baseUrl, CONFLUENCE_USER: confluence.user, CONFLUENCE_TOKEN: confluence.token, CONFLUENCE_SPACE: 'ENG' });
});
afterAll(async () => {
  await h?.stop();
  await confluence?.stop();
});

const postmortemCardIn = (incident: Incident) =>
  h.fake.activities(incident.room!.id).find((a) => JSON.stringify(a.attachments ?? []).includes('Postmortem draft'));

describe('the postmortem in Teams', () => {
  it('closing posts an Adaptive Card with the metrics, action items and flagged wording, linking the Confluence page; no Markdown garble', async () => {
    // Teams sends what people type as HTML text: <team> arrives as &lt;team&gt;.
    await h.driver.message({ text: 'incident Checkout &lt;team&gt; returns 500' });
    await h.settle();
    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Checkout <team> returns 500' && i.room?.cardId), 'the incident');
    await h.run(incident, 'note the deploy was human error on the release train');
    await h.run(incident, 'action add a canary for checkout &lt;owner&gt; deploys');
    await h.run(incident, 'resolve rolled back');
    await h.run(incident, 'close');
    const posted = await eventually(() => postmortemCardIn(incident), 'the postmortem card in the incident thread');

    const content = (posted.attachments as Array<{ content: Record<string, unknown> }>)[0]!.content;
    const json = JSON.stringify(content);
    expect(content).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(json).toContain(`Postmortem draft · INC-${incident.number}: Checkout <team> returns 500`);
    expect(json).toContain('"title":"Time to resolve"');
    expect(json).toContain('add a canary for checkout <owner> deploys');
    expect(json).toContain('Wording to reconsider (1)');
    expect(json).toMatch(/"type":"Action.OpenUrl","title":"Open in Confluence","url":"http:\/\/127\.0\.0\.1:\d+\/wiki\/spaces\/ENG\/pages\/\d+/);
    expect(json).not.toMatch(/&gt;|&lt;|:memo:|\\\\&/);
    expect(Buffer.byteLength(json)).toBeLessThan(MAX_POSTMORTEM_CARD_BYTES);

    // Nothing in the thread claims a file that is not there.
    const texts = h.fake.activities(incident.room!.id).map((a) => a.text ?? '');
    expect(texts.some((t) => /is attached/.test(t))).toBe(false);
    const exported = (await h.store.timeline(incident.id)).filter((e) => e.type === 'postmortem_exported').map((e) => (e as { format: string }).format);
    expect(exported).toEqual(expect.arrayContaining(['confluence', 'card']));
  });
});

describe('the postmortem card stays within Teams limits', () => {
  const view = (n: number, length: number): PostmortemView => ({
    incident: { number: 7, title: 'x'.repeat(200) } as Incident,
    revision: 3,
    by: { platform: 'teams', id: 'a', name: 'Maria Lopez' },
    metrics: [{ name: 'Time to resolve', value: '1 h 2 min' }, { name: 'Time to detect' }],
    origin: { summary: 'y'.repeat(length) },
    actionItems: Array.from({ length: n }, (_, k) => ({ text: `action ${k} ${'z'.repeat(length)}`, owner: 'Kenji Sato' })),
    flagged: Array.from({ length: n }, (_, k) => ({ phrase: 'human error', source: `note ${k}`, suggestion: 's'.repeat(length) })),
    links: [],
    exportCommand: 'npx sitrep postmortem 7',
  });

  it('a huge incident is cut to what fits, says how many more are in the draft, and how to get the draft', () => {
    const card = JSON.stringify(postmortemCard(view(500, 5000)));
    expect(Buffer.byteLength(card)).toBeLessThanOrEqual(MAX_POSTMORTEM_CARD_BYTES);
    expect(card).toMatch(/… and \d+ more in the full draft/);
    expect(card).toContain('export it with: npx sitrep postmortem 7');
  });

  it('links the web console only when it is on and PUBLIC_URL is set', () => {
    expect(webConsoleUrl({ PUBLIC_URL: 'https://sitrep.example.com/', WEB_CONSOLE: 'on' })).toBe('https://sitrep.example.com');
    expect(webConsoleUrl({ PUBLIC_URL: 'https://sitrep.example.com', WEB_CONSOLE: 'off' })).toBeUndefined();
    expect(webConsoleUrl({ PUBLIC_URL: undefined, WEB_CONSOLE: 'on' })).toBeUndefined();
    expect(webConsoleUrl({ PUBLIC_URL: 'https://sitrep.example.com' })).toBeUndefined();
  });
});
