import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import type { TimelineEvent } from '../../../src/domain/timeline.js';
import type { TokenMode } from '../../fakes/teams/driver.js';
import type { FakeMember, SentActivity } from '../../fakes/teams/server.js';
import { asUser, startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';
import { eventually } from '../../helpers/wait.js';

const ONCALL = fileURLToPath(new URL('./fixtures/oncall-teams.yaml', import.meta.url));

let h: TeamsHarness;
let maria: FakeMember;
let kenji: FakeMember;
let ana: FakeMember;
beforeAll(async () => {
  h = await startTeamsHarness({ ONCALL_FILE: ONCALL });
  maria = h.fake.defaultUser;
  kenji = h.fake.addMember({ name: 'Kenji Sato', aadObjectId: '6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b' });
  ana = h.fake.addMember({ name: 'Ana Silva', aadObjectId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d' });
});
afterAll(async () => {
  await h?.stop();
});

const mentionOf = (m: FakeMember) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } });

/** The summary card as the incident thread shows it now (the root activity, updated in place). */
function cardJson(incident: Incident): string {
  const conversation = incident.room!.id.includes(';messageid=') ? incident.room!.id : `${incident.room!.id};messageid=${incident.room!.cardId}`;
  const root = h.fake.activities(conversation).find((a) => a.id === incident.room!.cardId);
  return JSON.stringify(root?.attachments ?? []);
}

const threadMessages = (incident: Incident): SentActivity[] => h.fake.activities(incident.room!.id).filter((a) => a.id !== incident.room!.cardId);
const texts = (activities: SentActivity[]) => activities.map((a) => a.text ?? '');

async function timeline(incident: Incident): Promise<TimelineEvent[]> {
  return h.store.timeline(incident.id);
}

async function ofType<T extends TimelineEvent['type']>(incident: Incident, type: T) {
  return (await timeline(incident)).filter((e): e is Extract<TimelineEvent, { type: T }> => e.type === type);
}

describe('declaring from Teams', () => {
  it('@sitrep incident <title> in a channel answers at once, opens a thread in the incidents channel with the card as its root, and starts the timeline', async () => {
    const asked = h.driver.channelConversation();
    const started = Date.now();
    const res = await h.driver.message({ text: 'incident Checkout returns 500', conversation: asked });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await h.settle();

    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Checkout returns 500' && i.room?.cardId), 'the incident with its card');
    expect(incident.room).toMatchObject({ platform: 'teams', id: `${h.incidentsChannelId};messageid=${incident.room!.cardId}`, threadId: incident.room!.cardId });
    const root = h.fake.activities(incident.room!.id)[0]!;
    expect(root.id).toBe(incident.room!.cardId);
    expect(root.attachments).toMatchObject([{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.6' } }]);
    expect(cardJson(incident)).toContain(`INC-${incident.number} · Checkout returns 500`);
    expect(h.fake.updates.some((u) => u.activityId === incident.room!.cardId)).toBe(true);

    const [reply] = h.fake.activities(asked.id);
    expect(reply?.text).toContain(`INC-${incident.number} declared`);
    expect(reply?.text).toContain(incident.room!.url!);
    expect(incident.roles.lead).toEqual({ platform: 'teams', id: maria.aadObjectId, name: maria.name });
    expect((await timeline(incident)).map((e) => e.type)).toEqual(['declared', 'role_assigned']);
    expect((await timeline(incident))[0]).toMatchObject({ actor: { platform: 'teams', id: maria.aadObjectId }, source: 'teams' });
  });

  it('a declaration in the 1:1 chat with the bot opens the same kind of thread', async () => {
    const priya = h.fake.addMember({ name: 'Priya Nair' });
    const chat = h.driver.personalConversation(asUser(priya));
    await h.driver.message({ text: 'incident Search is slow', conversation: chat, from: asUser(priya) });
    await h.settle();

    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Search is slow'));
    expect(incident.room!.id.startsWith(`${h.incidentsChannelId};messageid=`)).toBe(true);
    expect(incident.roles.lead).toMatchObject({ id: priya.aadObjectId });
    expect(texts(h.fake.activities(chat.id))).toEqual([expect.stringContaining(`INC-${incident.number} declared`)]);
  });
});

describe('inside an incident thread', () => {
  let incident: Incident;
  beforeAll(async () => {
    incident = await h.declare('Login broken');
  });

  it('every subcommand changes the incident, refreshes the card in place and lands on the timeline', async () => {
    let cur = await h.run(incident, 'status investigating looking at auth logs', asUser(kenji));
    expect(cur.status).toBe('investigating');
    expect(cardJson(cur)).toContain('"value":"investigating"');
    const statusLine = threadMessages(cur).find((a) => a.text?.includes('Status → **investigating**'));
    expect(statusLine?.text).toContain('<at>Kenji Sato</at>');
    expect(statusLine?.body.entities).toEqual([{ type: 'mention', text: '<at>Kenji Sato</at>', mentioned: { id: kenji.aadObjectId, name: 'Kenji Sato' } }]);

    cur = await h.run(incident, 'sev 1');
    expect(cur).toMatchObject({ severity: 'SEV1', highestSeverity: 'SEV1' });
    cur = await h.run(incident, 'sev 3');
    expect(cur).toMatchObject({ severity: 'SEV3', highestSeverity: 'SEV1' });

    cur = await h.run(incident, `comms <at>${kenji.name}</at>`, undefined, [mentionOf(kenji)]);
    expect(cur.roles.comms).toEqual({ platform: 'teams', id: kenji.aadObjectId, name: 'Kenji Sato' });

    await h.run(incident, 'note token cache was flushed at 03:02');
    await h.run(incident, `action add alerting on token cache size <at>${ana.name}</at>`, undefined, [mentionOf(ana)]);
    await h.run(incident, 'status identified');
    cur = await h.run(incident, 'status monitoring');
    expect(cur.mitigatedAt).toBeDefined();
    cur = await h.run(incident, 'resolve cache warmed, logins back');
    expect(cur).toMatchObject({ status: 'resolved', resolveSummary: 'cache warmed, logins back' });
    expect(cardJson(cur)).toContain('Close & draft postmortem');

    const byType = async <T extends TimelineEvent['type']>(t: T) => ofType(cur, t);
    expect((await byType('status_changed')).map((e) => e.to)).toEqual(['investigating', 'identified', 'monitoring', 'resolved']);
    expect((await byType('status_changed'))[0]?.actor).toMatchObject({ platform: 'teams', id: kenji.aadObjectId });
    expect(await byType('severity_changed')).toHaveLength(2);
    expect((await byType('note'))[0]).toMatchObject({ text: 'token cache was flushed at 03:02' });
    expect((await byType('action_item_added'))[0]).toMatchObject({ text: 'add alerting on token cache size', owner: { platform: 'teams', id: ana.aadObjectId } });
    expect(await byType('resolved')).toHaveLength(1);
    // One card, updated in place; everything else is a reply in the incident's thread.
    expect(h.fake.allActivities().filter((a) => a.attachments && JSON.stringify(a.attachments).includes('Login broken'))).toHaveLength(1);
    expect(texts(threadMessages(cur))).toContain('Noted on the INC-' + cur.number + ' timeline.');
  });

  it('only the lead may close; others are told who the lead is, with a mention', async () => {
    await h.run(incident, 'close', asUser(kenji));
    const denied = threadMessages(incident).find((a) => a.text?.includes('Only the incident lead'));
    expect(denied?.text).toBe(`Only the incident lead can close INC-${incident.number}. The lead is <at>Maria Lopez</at>.`);
    expect(denied?.body.entities).toEqual([{ type: 'mention', text: '<at>Maria Lopez</at>', mentioned: { id: maria.aadObjectId, name: 'Maria Lopez' } }]);
    expect((await h.store.get(incident.id))?.status).toBe('resolved');

    const cur = await h.run(incident, 'close', asUser(maria));
    expect(cur).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect((await timeline(cur)).map((e) => e.type)).toContain('closed');
  });

  it('an unknown subcommand in an incident thread answers with help and changes nothing', async () => {
    const other = await h.declare('Queue backlog');
    const before = await timeline(other);
    await h.run(other, 'stauts investigating', asUser(kenji));
    const help = threadMessages(other).find((a) => JSON.stringify(a.attachments ?? []).includes('Unknown subcommand \\"stauts\\"'));
    expect(JSON.stringify(help?.attachments)).toContain('@sitrep incident note');
    expect(await timeline(other)).toHaveLength(before.length);
  });

  it('a room-only command outside an incident thread explains where it works, and list shows open incidents', async () => {
    const asked = h.driver.channelConversation();
    await h.driver.message({ text: 'incident note hello', conversation: asked });
    await h.driver.message({ text: 'incident list', conversation: asked });
    await h.settle();
    const replies = texts(h.fake.activities(asked.id));
    expect(h.fake.activities(asked.id).some((a) => JSON.stringify(a.attachments ?? []).includes("That command works in an incident's thread"))).toBe(true);
    const list = replies.find((t) => /^\d+ open incident/.test(t));
    expect(list).toContain('Checkout returns 500');
    expect(list).not.toContain('Login broken');
  });
});

describe('card buttons', () => {
  it('Action.Execute answers with the refreshed card and updates the card activity in place', async () => {
    const incident = await h.declare('Payments timing out');
    const at = { conversation: h.roomConversation(incident), from: asUser(kenji) };

    const res = await h.driver.adaptiveCardAction({ verb: 'status', data: { incidentId: incident.id, status: 'identified' } }, at);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard', version: '1.6' } });
    expect(JSON.stringify(res.json)).toContain('"value":"identified"');
    expect((await h.store.get(incident.id))?.status).toBe('identified');
    expect(cardJson(incident)).toContain('"value":"identified"');
    expect(h.fake.updates.filter((u) => u.activityId === incident.room!.cardId).length).toBeGreaterThanOrEqual(2);

    const sev = await h.driver.adaptiveCardAction({ verb: 'severity', data: { incidentId: incident.id, severity: 'SEV1' } }, at);
    expect(JSON.stringify(sev.json)).toContain('SEV1 · Critical');
    expect((await h.store.get(incident.id))?.severity).toBe('SEV1');
    expect((await ofType(incident, 'severity_changed'))[0]).toMatchObject({ from: 'SEV3', to: 'SEV1', actor: { platform: 'teams', id: kenji.aadObjectId } });
  });

  it('the Action.Submit fallback does the same through a message activity and refreshes the card', async () => {
    const incident = await h.declare('Cart empties itself');
    const at = { conversation: h.roomConversation(incident), from: asUser(kenji) };

    expect((await h.driver.messageSubmit({ verb: 'severity', incidentId: incident.id, severity: 'SEV2' }, at)).status).toBe(200);
    await h.settle();
    expect((await h.driver.messageSubmit({ verb: 'status', incidentId: incident.id, status: 'monitoring' }, at)).status).toBe(200);
    await h.settle();

    const cur = (await h.store.get(incident.id))!;
    expect(cur).toMatchObject({ severity: 'SEV2', status: 'monitoring' });
    expect(cardJson(cur)).toContain('SEV2 · Major');
    expect(cardJson(cur)).toContain('"value":"monitoring"');
  });

  it('Resolve pressed twice resolves once; a non-lead pressing Close is told why on the card', async () => {
    const incident = await h.declare('Webhooks delayed');
    const at = { conversation: h.roomConversation(incident), from: asUser(kenji) };

    await h.driver.adaptiveCardAction({ verb: 'resolve', data: { incidentId: incident.id } }, at);
    const again = await h.driver.adaptiveCardAction({ verb: 'resolve', data: { incidentId: incident.id } }, at);
    expect(JSON.stringify(again.json)).toContain('Close & draft postmortem');
    await h.settle();
    expect(await ofType(incident, 'resolved')).toHaveLength(1);

    const close = await h.driver.adaptiveCardAction({ verb: 'close', data: { incidentId: incident.id } }, at);
    expect(close.json).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: `Only the incident lead can close INC-${incident.number}. The lead is Maria Lopez.`,
    });
    expect((await h.store.get(incident.id))?.status).toBe('resolved');
  });

  it('a button from a card sitrep does not recognise changes nothing and says so', async () => {
    const before = await h.incidentCounter();
    const res = await h.driver.adaptiveCardAction({ verb: 'launchMissiles', data: { incidentId: 'inc-1' } });
    expect(res.json).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining('older card') });
    expect(await h.incidentCounter()).toBe(before);
  });
});

describe('paging through Teams', () => {
  const personalChatOf = (member: FakeMember) =>
    eventually(
      () => [...h.fake.conversations.values()].find((c) => c.conversationType === 'personal' && (c.memberIds.includes(member.aadObjectId) || c.memberIds.includes(member.id))),
      `a 1:1 chat with ${member.name}`,
    );

  function pageIn(conversationId: string, incident: Incident): { activity: SentActivity; pageId: string } | undefined {
    const activity = h.fake.activities(conversationId).find((a) => JSON.stringify(a.attachments ?? []).includes(`You are paged for INC-${incident.number}`));
    const pageId = /"pageId":"([^"]+)"/.exec(JSON.stringify(activity?.attachments ?? []))?.[1];
    return activity && pageId ? { activity, pageId } : undefined;
  }

  it('a page reaches the on-call person, who never wrote to the bot in private, in a new 1:1 chat, and Acknowledge through Action.Execute records it and refreshes the page', async () => {
    const incident = await h.declare('Checkout 502s');
    await h.run(incident, 'page team-checkout');

    const chat = await personalChatOf(kenji);
    const page = await eventually(() => pageIn(chat.id, incident), 'the page card in the 1:1 chat');
    expect(JSON.stringify(page.activity.attachments)).toContain('On call for **team-checkout**, level 1.');

    const res = await h.driver.adaptiveCardAction(
      { verb: 'acknowledge', data: { incidentId: incident.id, pageId: page.pageId, card: 'page' } },
      { conversation: { id: chat.id, conversationType: 'personal', tenantId: h.fake.tenantId }, from: asUser(kenji) },
    );
    expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(res.json)).toContain('✅ Acknowledged by Kenji Sato.');
    await h.settle();

    const [ack] = await ofType(incident, 'acknowledged');
    expect(ack).toMatchObject({ pageId: page.pageId, actor: { platform: 'teams', id: kenji.aadObjectId } });
    expect((await h.store.get(incident.id))?.pages[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: kenji.aadObjectId } });
    expect((await ofType(incident, 'paged'))[0]).toMatchObject({ target: { team: 'team-checkout', users: [{ platform: 'teams', id: kenji.aadObjectId }] } });
  });

  it('someone who wrote to the bot before is paged in that same 1:1 chat, and can decline through the Submit fallback', async () => {
    const chat = h.driver.personalConversation(asUser(ana));
    await h.driver.message({ text: 'incident help', conversation: chat, from: asUser(ana) });
    await h.settle();
    const incident = await h.declare('Refunds stuck');

    await h.run(incident, `page <at>${ana.name}</at> can you look at refunds?`, undefined, [mentionOf(ana)]);
    const page = await eventually(() => pageIn(chat.id, incident), 'the page in the chat Ana already had with the bot');
    expect(JSON.stringify(page.activity.attachments)).toContain('can you look at refunds?');

    await h.driver.messageSubmit({ verb: 'decline', incidentId: incident.id, pageId: page.pageId, card: 'page' }, { conversation: chat, from: asUser(ana) });
    await h.settle();
    await eventually(async () => (await ofType(incident, 'declined')).length === 1, 'the decline on the timeline');
    expect((await ofType(incident, 'declined'))[0]).toMatchObject({ pageId: page.pageId, actor: { platform: 'teams', id: ana.aadObjectId } });
  });
});

describe('"Add to incident timeline"', () => {
  const captured = async (incident: Incident) => ofType(incident, 'message_captured');

  it('in an incident thread adds the message at once; a second time records nothing new', async () => {
    const incident = await h.declare('Cache stampede');
    const at = { conversation: h.roomConversation(incident), from: asUser(kenji) };
    const messagePayload = {
      id: '1700000000123',
      from: { user: { id: ana.aadObjectId, displayName: ana.name, userIdentityType: 'aadUser' } },
      body: { contentType: 'html', content: '<p>rolled back deploy 8812 &amp; flushed the cache</p>' },
      attachments: [{ contentType: 'reference', name: 'graph.png', contentUrl: 'https://contoso.sharepoint.example/graph.png' }],
    };

    const first = await h.driver.messageExtensionAction({ commandId: 'addToTimeline', messagePayload }, at);
    const second = await h.driver.messageExtensionAction({ commandId: 'addToTimeline', messagePayload }, at);

    expect(first.json).toEqual({ task: { type: 'message', value: `Added to the INC-${incident.number} timeline.` } });
    expect(second.json).toEqual({ task: { type: 'message', value: `That message is already on the INC-${incident.number} timeline.` } });
    const entries = await captured(incident);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      text: 'rolled back deploy 8812 & flushed the cache',
      author: { platform: 'teams', id: ana.aadObjectId, name: 'Ana Silva' },
      actor: { platform: 'teams', id: kenji.aadObjectId },
      via: 'message_extension',
      message: { platform: 'teams', channel: h.incidentsChannelId, ts: '1700000000123' },
      files: [{ name: 'graph.png', url: 'https://contoso.sharepoint.example/graph.png' }],
      permalink: expect.stringContaining('https://teams.microsoft.com/l/message/'),
    });
  });

  it('outside any incident with several open, a dialog asks which one, and the pick adds it there', async () => {
    const open = await h.store.listOpen();
    expect(open.length).toBeGreaterThan(1);
    const target = open.find((i) => i.title === 'Refunds stuck')!;

    const ask = await h.driver.messageExtensionAction({ commandId: 'addToTimeline', messagePayload: { id: '1700000000456' } });
    const task = (ask.json as { task: { type: string; value: { card: { content: unknown } } } }).task;
    expect(task.type).toBe('continue');
    const card = JSON.stringify(task.value.card.content);
    expect(card).toContain(`INC-${target.number}`);
    const captureToken = /"captureToken":"([^"]+)"/.exec(card)?.[1];

    const pick = await h.driver.invoke('composeExtension/submitAction', { commandId: 'addToTimeline', commandContext: 'message', data: { captureToken, incidentId: target.id } });
    expect(pick.json).toEqual({ task: { type: 'message', value: `Added to the INC-${target.number} timeline.` } });
    expect(await captured(target)).toEqual([expect.objectContaining({ text: 'checkout is returning 502s', via: 'message_extension' })]);
  });

  it('a crafted pick without the waiting message records nothing', async () => {
    const target = (await h.store.listOpen())[0]!;
    const before = await captured(target);
    const res = await h.driver.invoke('composeExtension/submitAction', { commandId: 'addToTimeline', commandContext: 'message', data: { captureToken: 'made-up', incidentId: target.id } });
    expect(JSON.stringify(res.json)).toContain('no longer waiting');
    expect(await captured(target)).toEqual(before);
  });
});

describe('Teams limits', () => {
  it('a bare 429 from the connector is retried and the reply lands once', async () => {
    const incident = await h.declare('Images missing');
    const before = h.fake.requests.length;
    const conversation = encodeURIComponent(incident.room!.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    h.fake.failNext(new RegExp(`/v3/conversations/${conversation}/activities$`), 429);

    await h.run(incident, 'note CDN purge started');

    const replies = texts(threadMessages(incident)).filter((t) => t.startsWith('Noted on'));
    expect(replies).toEqual([`Noted on the INC-${incident.number} timeline.`]);
    const sends = h.fake.requests.slice(before).filter((r) => r.method === 'POST' && r.path.includes(encodeURIComponent(incident.room!.id)));
    expect(sends.map((r) => r.status)).toEqual([429, 201]);
  });

  it('a 412 on the card update is retried and the card still shows the change', async () => {
    const incident = await h.declare('Search index stale');
    h.fake.failNext(new RegExp(`/activities/${incident.room!.cardId}$`), 412, { method: 'PUT' });

    await h.driver.adaptiveCardAction({ verb: 'severity', data: { incidentId: incident.id, severity: 'SEV2' } }, { conversation: h.roomConversation(incident) });
    await h.settle();

    expect(cardJson(incident)).toContain('SEV2 · Major');
    const puts = h.fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/activities/${incident.room!.cardId}`));
    expect(puts.map((r) => r.status)).toContain(412);
    expect(puts.at(-1)?.status).toBe(200);
  });
});

describe('requests that are not from Teams', () => {
  const modes: TokenMode[] = ['missing', 'expired', 'wrongKey'];
  it.each(modes)('an activity with a %s token is refused with 401 and nothing is written', async (token) => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = await h.incidentCounter();
    const asked = h.driver.channelConversation();

    const res = await h.driver.message({ text: 'incident Forged incident', conversation: asked }, { token });
    expect(res.status).toBe(401);
    await h.settle();

    expect(await h.incidentCounter()).toBe(before);
    expect(h.fake.activities(asked.id)).toEqual([]);
    expect((await h.store.listOpen()).some((i) => i.title === 'Forged incident')).toBe(false);
  });
});
