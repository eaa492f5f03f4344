import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import type { FakeMember, SentActivity } from '../../fakes/teams/server.js';
import { asUser, startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';
import { adaptiveCardProblems } from '../../helpers/adaptive-card-schema.js';
import { eventually } from '../../helpers/wait.js';

/** Ids the documented activities use, swapped for the fake channel's own. */
const DOC = {
  bot: '28:608cacfd-1cea-40c9-b678-4b93e69bb72b',
  tenant: 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f',
  channel: '19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2',
  teamId: '19:zFLSDFWsesfzcmKArqKJ-65aOXJz@sgf462H2wz41@thread.tacv2',
  userAad: 'a3c1b2d4-0e5f-4a6b-8c7d-9e0f1a2b3c4d',
  installerAad: 'eddfa9d4-346e-4cce-a18f-fa6261ad776b',
};

let h: TeamsHarness;
let maria: FakeMember;
let sequence = 0;

beforeAll(async () => {
  h = await startTeamsHarness();
  maria = h.fake.defaultUser;
});
afterAll(async () => {
  await h?.stop();
});

/**
 * A fixture from test/fixtures/teams/ as the fake channel would deliver it: the documented activity with
 * its tenant, service URL, bot, people and conversation swapped for the fake's, and fresh activity ids.
 */
function fixture(name: string, swap: { conversationRoot?: string; channel?: string } = {}): Record<string, unknown> {
  sequence += 1;
  const channel = swap.channel ?? h.fake.team.id;
  const text = readFileSync(new URL(`../../fixtures/teams/${name}`, import.meta.url), 'utf8')
    .replaceAll(DOC.bot, h.driver.bot.id)
    .replaceAll(DOC.tenant, h.fake.tenantId)
    .replaceAll(DOC.teamId, h.fake.team.id)
    .replaceAll(DOC.channel, channel)
    .replaceAll(DOC.userAad, maria.aadObjectId)
    .replaceAll(DOC.installerAad, maria.aadObjectId)
    .replaceAll('1715678201000', swap.conversationRoot ?? '1715678201000');
  const activity = JSON.parse(text) as Record<string, unknown> & { from: Record<string, unknown> };
  activity.serviceUrl = h.fake.serviceUrl;
  activity.id = `${String(activity.id)}-${Date.now()}-${sequence}`;
  activity.timestamp = new Date().toISOString();
  activity.from = { ...activity.from, id: maria.id, name: maria.name };
  return activity;
}

const cardsIn = (activities: SentActivity[]) => activities.filter((a) => a.attachments?.length).map((a) => JSON.stringify(a.attachments));
const conversationOf = (activity: Record<string, unknown>) => (activity.conversation as { id: string }).id;

async function send(activity: Record<string, unknown>) {
  const res = await h.driver.post(activity);
  expect(res.status).toBe(200);
  await h.settle();
  return res;
}

describe('small talk is not an incident', () => {
  it('"@sitrep thanks!" as a thread reply (HTML, &nbsp;, \\r\\n) gets the help card and declares nothing', async () => {
    const before = await h.incidentCounter();
    const reply = fixture('message_channel-thread-reply_at-mention-html.json', { conversationRoot: `${Date.now()}1` });
    await send(reply);
    const sent = h.fake.activities(conversationOf(reply));
    expect(sent).toHaveLength(1);
    const [card] = cardsIn(sent);
    expect(card).toContain('@sitrep incident <title>');
    expect(card).toContain('Declare an incident');
    expect(await h.incidentCounter()).toBe(before);
  });

  it('hello, what can you do? and "hi" in the 1:1 chat get help, never an incident', async () => {
    const before = await h.incidentCounter();
    const thread = h.driver.channelConversation();
    await h.driver.message({ text: 'hello', conversation: thread });
    await h.driver.message({ text: 'what can you do?', conversation: thread });
    const chat = h.driver.personalConversation();
    await h.driver.message({ text: 'hi', conversation: chat });
    await h.settle();
    expect(cardsIn(h.fake.activities(thread.id))).toHaveLength(2);
    expect(cardsIn(h.fake.activities(chat.id))[0]).toContain('@sitrep incident list');
    expect(await h.incidentCounter()).toBe(before);
  });

  it('help speaks Teams: threads in the incidents channel, never "/incident" or Slack channels', async () => {
    const thread = h.driver.channelConversation();
    await h.driver.message({ text: 'incident help', conversation: thread });
    await h.settle();
    const [card] = cardsIn(h.fake.activities(thread.id));
    expect(card).toContain('opens as a new thread in [the incidents channel](https://teams.microsoft.com/l/channel/');
    expect(card).not.toMatch(/(^|[\s*"])\/incident\b|Inside an incident channel|opens a channel/);
  });

  it('"@sitrep incident <title>" and "@sitrep new <title>" still declare', async () => {
    const thread = h.driver.channelConversation();
    await h.driver.message({ text: 'new Payments timing out', conversation: thread });
    await h.settle();
    await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Payments timing out'));
  });
});

describe('installing the app', () => {
  it('added to a team, sitrep posts one welcome card though Teams sends both conversationUpdate and installationUpdate', async () => {
    const channel = `19:welcome${Date.now()}@thread.tacv2`;
    await send(fixture('conversationUpdate_bot-added-to-team.json', { channel }));
    await send(fixture('installationUpdate_add-team.json', { channel }));
    const cards = cardsIn(h.fake.activities(channel));
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain('sitrep coordinates incidents here');
    expect(cards[0]).toContain('@sitrep incident <title>');
    expect(cards[0]).toContain('opens as a new thread in');
  });

  it('installed personally, the 1:1 chat gets the welcome card', async () => {
    const chat = h.driver.personalConversation();
    await send(h.driver.activity('installationUpdate', { conversation: chat }, { action: 'add' }));
    expect(cardsIn(h.fake.activities(chat.id)).some((c) => c.includes('sitrep coordinates incidents here'))).toBe(true);
  });

  it('another person joining the team is not welcomed by sitrep', async () => {
    const channel = `19:joined${Date.now()}@thread.tacv2`;
    const activity = fixture('conversationUpdate_bot-added-to-team.json', { channel });
    activity.membersAdded = [{ id: '29:someone-else', aadObjectId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d' }];
    await send(activity);
    expect(h.fake.activities(channel)).toHaveLength(0);
  });
});

describe('the thread you declared from', () => {
  let declaredFrom: string;
  let incident: Incident;
  beforeAll(async () => {
    const thread = h.driver.channelConversation();
    declaredFrom = thread.id;
    await h.driver.message({ text: 'incident Cart empties itself', conversation: thread });
    await h.settle();
    incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Cart empties itself' && i.room?.cardId));
  });

  it('the declare answer links the new thread', async () => {
    const [answer] = h.fake.activities(declaredFrom);
    expect(answer?.text).toContain(`](${incident.room!.url!})`);
  });

  it('commands typed there act on the incident it declared', async () => {
    await h.driver.message({ text: 'incident sev 1', conversation: { id: declaredFrom, conversationType: 'channel', tenantId: h.fake.tenantId } });
    await h.driver.message({ text: 'incident note seen from the declaring thread', conversation: { id: declaredFrom, conversationType: 'channel', tenantId: h.fake.tenantId } });
    await h.settle();
    expect((await h.store.get(incident.id))?.severity).toBe('SEV1');
    const notes = (await h.store.timeline(incident.id)).filter((e) => e.type === 'note');
    expect(notes).toMatchObject([{ text: 'seen from the declaring thread' }]);
  });
});

describe('tags and channels are not people', () => {
  let incident: Incident;
  beforeAll(async () => {
    incident = await h.declare('Checkout 502s');
  });

  it('paging a tag says plainly that nobody was paged, and opens no 1:1 chat', async () => {
    const [channel, root] = incident.room!.id.split(';messageid=') as [string, string];
    const activity = fixture('message_tag-mention_page.json', { channel, conversationRoot: root });
    const chatsBefore = h.fake.requests.filter((r) => r.method === 'POST' && /\/v3\/conversations$/.test(r.path)).length;
    await send(activity);
    const answer = h.fake.activities(incident.room!.id).find((a) => a.text?.includes('Checkout On-call'));
    expect(answer?.text).toMatch(/^Nobody was paged: \*\*Checkout On-call\*\* is a tag/);
    expect(h.fake.requests.filter((r) => r.method === 'POST' && /\/v3\/conversations$/.test(r.path)).length).toBe(chatsBefore);
    expect((await h.store.get(incident.id))?.pages).toEqual([]);
    expect((await h.store.timeline(incident.id)).some((e) => e.type === 'paged')).toBe(false);
  });

  it('a channel mentioned as lead is answered with what was wrong, and the lead stays', async () => {
    const [channel, root] = incident.room!.id.split(';messageid=') as [string, string];
    await send(fixture('message_channel-mention_lead.json', { channel, conversationRoot: root }));
    const answer = h.fake.activities(incident.room!.id).find((a) => a.text?.includes('is a channel'));
    expect(answer?.text).toBe('**General** is a channel, not a person: the lead is one person. Mention them: @sitrep incident lead @person.');
    expect((await h.store.get(incident.id))?.roles.lead?.id).toBe(maria.aadObjectId);
  });
});

describe('the lead picker typeahead', () => {
  it('an empty queryText (the picker just opened) answers 200 with the first people of the team', async () => {
    const kenji = h.fake.addMember({ name: 'Kenji Sato' });
    const res = await h.driver.post(fixture('application-search_empty-query.json', { conversationRoot: `${Date.now()}2` }));
    expect(res.status).toBe(200);
    const results = (res.json as { value: { results: { title: string; value: string }[] } }).value.results;
    expect(results.map((r) => r.title)).toEqual(expect.arrayContaining([maria.name, kenji.name]));
    expect(results.length).toBeLessThanOrEqual(15);
  });
});

describe('"Add to incident timeline" on a message with a link, an image and a file', () => {
  it('keeps the link as a Markdown link and the image and file as files of the entry', async () => {
    const incident = await h.declare('Latency spike');
    const [channel, root] = incident.room!.id.split(';messageid=') as [string, string];
    const res = await h.driver.post(fixture('composeExtension-submitAction_message-with-link-and-image.json', { channel, conversationRoot: root }));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain(`Added to the INC-${incident.number} timeline`);
    const captured = (await h.store.timeline(incident.id)).find((e) => e.type === 'message_captured');
    expect(captured).toMatchObject({
      text: 'Error rate is climbing, see [the dashboard](https://grafana.example.com/d/checkout?orgId=1&from=now-1h) and',
      author: { id: '6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b', name: 'Kenji Sato' },
      files: [
        { name: 'heap-dump.txt', url: 'https://contoso.sharepoint.com/sites/checkout/Shared%20Documents/General/heap-dump.txt' },
        { name: 'latency graph', url: expect.stringMatching(/^https:\/\/graph\.microsoft\.com\/v1\.0\/teams\/.*\/hostedContents\/.*\/\$value$/) },
      ],
    });
  });

  it("sitrep's own card is refused with a reason, and nothing is recorded", async () => {
    const incident = await h.declare('Own card capture');
    const before = (await h.store.timeline(incident.id)).length;
    const res = await h.driver.messageExtensionAction(
      {
        commandId: 'addToTimeline',
        messagePayload: {
          from: { user: null, application: { applicationIdentityType: 'bot', id: h.appId, displayName: 'sitrep' } },
          body: { contentType: 'html', content: '<attachment id="74d20c7f34aa4a7fb74e2b30004247c5"></attachment>' },
          attachments: [{ id: '74d20c7f34aa4a7fb74e2b30004247c5', contentType: 'application/vnd.microsoft.card.adaptive', content: '{}' }],
        },
      },
      { conversation: h.roomConversation(incident), from: asUser(maria) },
    );
    expect(JSON.stringify(res.json)).toContain("one of sitrep's own messages");
    expect(await h.store.timeline(incident.id)).toHaveLength(before);
  });
});

describe('every card sent in these conversations', () => {
  it('is valid against the published Adaptive Card schema for the version it declares', () => {
    const cards = h.fake
      .allActivities()
      .flatMap((a) => (a.attachments ?? []) as Array<{ contentType?: string; content?: Record<string, unknown> }>)
      .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
    expect(cards.length).toBeGreaterThan(5);
    for (const card of cards) expect(adaptiveCardProblems(card.content!)).toEqual([]);
  });
});

describe("the manifest's developer pages", () => {
  it.each(['/about', '/privacy', '/terms'])('%s answers a real page', async (path) => {
    const res = await fetch(`${h.sitrep.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/<h1>sitrep/);
  });
});
