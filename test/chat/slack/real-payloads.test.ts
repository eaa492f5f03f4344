import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import type { TimelineEvent } from '../../../src/domain/timeline.js';
import { htmlDocument } from '../../../src/postmortem/html.js';
import { eventually } from '../../helpers/wait.js';
import { ONCALL_FIXTURE } from '../../paging/e2e.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';

/**
 * The bot driven with what Slack really sends (test/fixtures/slack/, see SOURCES.md): escaped text and
 * markup, bot and integration messages, edits and deletions without the fields our fake used to add,
 * app_rate_limited, and channels sitrep was never invited to.
 */
let h: SlackHarness;
beforeAll(async () => {
  // Paging on, so a user group can be paged as its members.
  h = await startSlackHarness({ ONCALL_FILE: ONCALL_FIXTURE });
  h.fake.workspace.addUser({ id: 'W_DANA', name: 'dana', realName: 'Dana Diaz' });
  for (const channel of ['C_OPS', 'C_GENERAL']) h.fake.channel(channel)!.members.push('W_DANA');
});
afterAll(async () => {
  await h?.stop();
});

/** A published payload with its ids swapped for the fake workspace's. */
function fixture(name: string, ids: Record<string, string>): string {
  let text = readFileSync(new URL(`../../fixtures/slack/${name}`, import.meta.url), 'utf8');
  for (const [from, to] of Object.entries(ids)) text = text.replaceAll(from, to);
  return text;
}

async function declared(text: string, userId = 'U_ALICE', channelId = 'C_OPS'): Promise<Incident> {
  const before = Number((await h.sitrep.redis.get(`${h.prefix}incident:seq`)) ?? 0);
  await h.driver.slashCommand({ text, userId, channelId });
  const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.number > before && i.room?.cardId), 'the declared incident with its card');
  await h.settle();
  return (await h.store.get(incident.id))!;
}

const ofType = <T extends TimelineEvent['type']>(timeline: TimelineEvent[], type: T) => timeline.filter((e): e is Extract<TimelineEvent, { type: T }> => e.type === type);

describe('escaped text and markup from Slack', () => {
  let incident: Incident;
  beforeAll(async () => {
    incident = await declared('Payments &amp; checkout &gt;50% errors, <@U_BOB|bob> on it');
  });

  it('a slash command with escaped ampersands makes a readable channel name and title', () => {
    expect(incident.title).toBe('Payments & checkout >50% errors, @bob on it');
    expect(incident.room?.name).toBe(`inc-${incident.number}-payments-checkout-50-errors-bob-on-it`);
  });

  it('the card and messages show the title escaped exactly once', () => {
    const card = h.fake.messages(incident.room!.id).find((m) => m.ts === incident.room?.cardId)!;
    expect(card.text).toContain('Payments &amp; checkout &gt;50% errors');
    expect(JSON.stringify(h.fake.ephemerals())).not.toContain('&amp;amp;');
  });

  it('a note with markup lands on the timeline as plain words, and the exports escape it once', async () => {
    await h.driver.slashCommand({ text: 'note <@U_CAROL> rolled back &amp; <#C_OPS|ops> told <https://status.example.com|status page>', userId: 'U_ALICE', channelId: incident.room!.id });
    const note = await eventually(async () => ofType(await h.store.timeline(incident.id), 'note')[0], 'the note');
    expect(note.text).toBe('@carol rolled back & #ops told status page (https://status.example.com)');
    const html = htmlDocument(`# ${incident.title}\n\n${note.text}`, incident.title);
    expect(html).toContain('Payments &amp; checkout &gt;50% errors');
    expect(html).not.toContain('&amp;amp;');
  });
});

describe('mentions stay mentions in Slack, names in exports', () => {
  /** The published slash-command request with a title that mentions a person and a channel, as Slack escapes it. */
  async function declareFromFixture(userId = 'U_ALICE', channelId = 'C_OPS'): Promise<Incident> {
    const before = Number((await h.sitrep.redis.get(`${h.prefix}incident:seq`)) ?? 0);
    const form = JSON.parse(fixture('slash-command.mentions.json', { U061F7AUR: 'U_BOB', C123ABC456: 'C_OPS', U2147483697: userId, C2147483705: channelId, T0001: 'T_FAKE' })) as Record<string, string>;
    form.trigger_id = h.fake.workspace.issueTrigger(userId);
    form.response_url = h.fake.workspace.issueResponseUrl({ channelId, userId }).url;
    const res = await h.driver.slashCommand({ userId, channelId, rawBody: new URLSearchParams(form).toString() });
    expect(res.status).toBe(200);
    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.number > before && i.room?.cardId), 'the declared incident with its card');
    await h.settle();
    return (await h.store.get(incident.id))!;
  }

  let incident: Incident;
  beforeAll(async () => {
    incident = await declareFromFixture();
  });

  it('a title that mentions someone is stored as plain words with its mentions typed, and names the channel from the words', () => {
    expect(incident.title).toBe('Checkout 500s & refunds >5%, ask @bob in #ops');
    expect(incident.mentions).toEqual([
      { kind: 'user', id: 'U_BOB', text: '@bob' },
      { kind: 'channel', id: 'C_OPS', text: '#ops' },
    ]);
    expect(incident.room?.name).toBe(`inc-${incident.number}-checkout-500s-refunds-5-ask-bob-in-ops`);
  });

  it('the card mentions them live, and escapes the rest of the title once', () => {
    const card = h.fake.messages(incident.room!.id).find((m) => m.ts === incident.room?.cardId)!;
    const live = 'Checkout 500s &amp; refunds &gt;5%, ask <@U_BOB> in <#C_OPS>';
    expect(card.text).toContain(live);
    const blocks = JSON.stringify(card.blocks);
    expect(blocks).toContain(`*${live}*`);
    expect(blocks).not.toContain('&amp;amp;');
  });

  it('the postmortem shows the names, not ids or Slack markup', async () => {
    const res = await h.driver.slashCommand({ text: 'postmortem', userId: 'U_ALICE', channelId: incident.room!.id });
    expect(res.status).toBe(200);
    const file = await eventually(() => h.fake.files.find((f) => f.name === `INC-${incident.number}-postmortem.md` && f.uploaded), 'the postmortem file', 20_000);
    const markdown = file.bytes.toString('utf8');
    expect(markdown).toContain('ask @bob in #ops');
    expect(markdown).not.toMatch(/U_BOB|C_OPS|<@|&amp;/);
  });

  it('a status update mentioning someone Slack sent without a name reaches the room with the mention live; the timeline keeps the name', async () => {
    const room = incident.room!.id;
    await h.driver.slashCommand({ text: 'update rolled back &amp; watching, <@U_CAROL> owns the fix', userId: 'U_ALICE', channelId: room });
    const update = await eventually(async () => ofType(await h.store.timeline(incident.id), 'status_update')[0], 'the status update');
    expect(update).toMatchObject({ text: 'rolled back & watching, @carol owns the fix', mentions: [{ kind: 'user', id: 'U_CAROL', text: '@carol' }] });
    const posted = await eventually(() => h.fake.messages(room).find((m) => m.text?.includes('rolled back')), 'the update in the room', 10_000);
    expect(posted.text).toContain('rolled back &amp; watching, <@U_CAROL> owns the fix');
  });

  it('a captured message keeps the people it mentions, named on the timeline', async () => {
    const room = incident.room!.id;
    // The text of Slack's app_mention docs example, its user id swapped for the fake workspace's.
    const ts = await h.driver.userMessage(room, 'U_BOB', '<@U_CAROL> is it everything a river should be?');
    await h.driver.reactionAdded({ userId: 'U_ALICE', reaction: 'pushpin', channelId: room, itemTs: ts });
    const captured = await eventually(async () => ofType(await h.store.timeline(incident.id), 'message_captured').find((e) => e.message.ts === ts), 'the captured message');
    expect(captured).toMatchObject({ text: '@carol is it everything a river should be?', mentions: [{ kind: 'user', id: 'U_CAROL', text: '@carol' }] });
  });

  it('an @name Slack did not link stays words, and a title stored without mentions reads as written', async () => {
    const plain = await declared('Login broken &amp; slow, ping @bob');
    expect(plain.title).toBe('Login broken & slow, ping @bob');
    expect(plain.mentions).toBeUndefined();
    const card = h.fake.messages(plain.room!.id).find((m) => m.ts === plain.room?.cardId)!;
    expect(card.text).toContain('Login broken &amp; slow, ping @bob');
    expect(card.text).not.toContain('<@');
    expect(JSON.stringify(card.blocks)).toContain(`INC-${plain.number} · Login broken & slow, ping @bob`);
  });
});

describe('Slack calls and refused requests on /metrics', () => {
  const metrics = async () => (await fetch(`${h.sitrep.url}/metrics`)).text();
  const count = (text: string, series: string) => Number(text.match(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm'))?.[1] ?? 0);

  it('name look-ups, forms and answers outside the chat port count by method and outcome', async () => {
    const before = await metrics();
    h.fake.workspace.addUser({ id: 'U_ERIN', name: 'erin', realName: 'Erin Ek' });
    const command = await h.driver.slashCommand({ text: '', userId: 'U_ERIN', channelId: 'C_GENERAL' });
    const view = await eventually(() => h.fake.views.find((v) => v.callback_id === 'sitrep_declare' && v.user === 'U_ERIN' && v.open), 'the declare form');
    await h.driver.viewSubmission({ userId: 'U_ERIN', view: { id: view.id, state: { values: { title: { value: { type: 'plain_text_input', value: 'Webhooks delayed' } } } } } });
    await eventually(() => h.fake.responses(command.responseUrlId).find((r) => /^INC-\d+ declared/.test(String(r.body.text))), 'the confirmation');
    const after = await metrics();
    const grew = (method: string, outcome: string) => count(after, `sitrep_chat_api_calls_total{platform="slack",method="${method}",outcome="${outcome}"}`) - count(before, `sitrep_chat_api_calls_total{platform="slack",method="${method}",outcome="${outcome}"}`);
    expect(grew('users.info', 'ok')).toBeGreaterThanOrEqual(1);
    expect(grew('views.open', 'ok')).toBe(1);
    expect(grew('chat.postEphemeral', 'not_in_channel')).toBe(1);
  });

  it('a request with a forged signature is refused and counted as a webhook authentication failure', async () => {
    const before = count(await metrics(), 'sitrep_webhook_auth_failures_total{source="slack"}');
    const res = await h.driver.event({ type: 'reaction_added', user: 'U_BOB', reaction: 'pushpin', item: { type: 'message', channel: 'C_OPS', ts: '1.000001' } }, { forgeSignature: true });
    expect(res.status).toBe(401);
    expect(count(await metrics(), 'sitrep_webhook_auth_failures_total{source="slack"}') - before).toBe(1);
  });
});

describe('people by name', () => {
  it('a lead picked on the card is shown by name in the topic, looked up once and kept in Redis with an expiry', async () => {
    const incident = await declared('Search is slow');
    const lookupsBefore = h.fake.callsTo('users.info').filter((c) => (c.args as { user?: string }).user === 'W_DANA').length;
    await h.driver.blockAction({ userId: 'U_ALICE', actionId: 'sitrep_lead', channelId: incident.room!.id, messageTs: incident.room!.cardId!, blockId: `sitrep_controls:${incident.id}`, selectedUser: 'W_DANA' });
    await eventually(() => h.fake.channel(incident.room!.id)?.topic.value.endsWith('lead dana'), 'topic with the lead by name');
    expect((await h.store.get(incident.id))?.roles.lead).toEqual({ platform: 'slack', id: 'W_DANA', name: 'dana' });
    expect(await h.sitrep.redis.ttl(`${h.prefix}slack:username:W_DANA`)).toBeGreaterThan(3600);
    await h.driver.slashCommand({ text: 'comms <@W_DANA>', userId: 'U_ALICE', channelId: incident.room!.id });
    await eventually(async () => (await h.store.get(incident.id))?.roles.comms?.name === 'dana', 'comms by name');
    const lookups = h.fake.callsTo('users.info').filter((c) => (c.args as { user?: string }).user === 'W_DANA').length;
    expect(lookups - lookupsBefore).toBe(1);
  });
});

describe('channels sitrep is not in', () => {
  it('the shortcut in #general captures the message the payload carries, and answers through response_url', async () => {
    const incident = await declared('Login errors');
    const ts = await h.driver.userMessage('C_GENERAL', 'U_BOB', 'seeing 401s from auth &amp; the mobile app');
    const shortcut = await h.driver.messageAction({ callbackId: 'sitrep_capture', userId: 'U_BOB', channelId: 'C_GENERAL', message: { ts } });
    const view = await eventually(() => h.fake.views.find((v) => v.callback_id === 'sitrep_capture_pick' && v.user === 'U_BOB' && v.open), 'the incident picker');
    await h.driver.viewSubmission({
      userId: 'U_BOB',
      view: { id: view.id, state: { values: { incident: { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'x' }, value: incident.id } } } } } },
    });
    const captured = await eventually(async () => ofType(await h.store.timeline(incident.id), 'message_captured')[0], 'the captured message');
    expect(captured).toMatchObject({ text: 'seeing 401s from auth & the mobile app', author: { id: 'U_BOB', name: 'bob' }, via: 'shortcut' });
    expect(h.fake.callsTo('conversations.history').filter((c) => (c.args as { channel?: string }).channel === 'C_GENERAL')).toHaveLength(0);
    const told = await eventually(() => h.fake.responses(shortcut.responseUrlId).find((r) => String(r.body.text).startsWith('Added to the')), 'the answer');
    expect(told.body.text).toBe(`Added to the INC-${incident.number} timeline.`);
  });

  it('/incident alone in a channel sitrep is not in: the form’s confirmation arrives through response_url', async () => {
    const command = await h.driver.slashCommand({ text: '', userId: 'U_CAROL', channelId: 'C_GENERAL' });
    const view = await eventually(() => h.fake.views.find((v) => v.callback_id === 'sitrep_declare' && v.user === 'U_CAROL' && v.open), 'the declare form');
    await h.driver.viewSubmission({ userId: 'U_CAROL', view: { id: view.id, state: { values: { title: { value: { type: 'plain_text_input', value: 'Cart empty after login' } } } } } });
    const told = await eventually(() => h.fake.responses(command.responseUrlId).find((r) => /^INC-\d+ declared/.test(String(r.body.text))), 'the confirmation');
    expect(told.body.text).toMatch(/^INC-\d+ declared: <#C\w+>$/);
    expect(h.fake.callsTo('chat.postEphemeral').some((c) => c.error === 'not_in_channel')).toBe(true);
  });

  it('with no response_url left, the answer comes as a direct message', async () => {
    await h.driver.viewSubmission({
      userId: 'U_BOB',
      view: { callback_id: 'sitrep_declare', private_metadata: JSON.stringify({ channelId: 'C_GENERAL' }), state: { values: { title: { value: { type: 'plain_text_input', value: 'Queue backlog' } } } } },
    });
    await eventually(() => h.fake.dms('U_BOB').find((m) => /^INC-\d+ declared/.test(m.text)), 'the confirmation by DM');
  });
});

describe('other bots’ messages', () => {
  let incident: Incident;
  beforeAll(async () => {
    incident = await declared('Checkout alerts');
  });

  it('pinning a Grafana bot message records it once, authored by Grafana, text decoded', async () => {
    const room = incident.room!.id;
    const ts = h.fake.workspace.addMessage(room, { user: 'U_GRAFANA', bot_id: 'B999', text: 'alert' }).ts;
    const body = fixture('pin_added.bot-message.json', { C111: room, UB111: 'U_GRAFANA', '1610261539.000900': ts, W111: 'W_DANA', T111: 'T_FAKE', Ev222: 'EvPINBOT1' });
    await h.driver.event({}, { rawBody: body });
    await h.driver.event({}, { rawBody: body, retryNum: 1 });
    const entry = await eventually(async () => ofType(await h.store.timeline(incident.id), 'message_captured').find((e) => e.message.ts === ts), 'the bot message');
    expect(entry).toMatchObject({ author: { id: 'U_GRAFANA', name: 'Grafana' }, actor: { id: 'W_DANA', name: 'dana' }, text: '[FIRING:1] HighErrorRate checkout & payments: error rate > 5%', via: 'pin' });
    await h.settle();
    expect(ofType(await h.store.timeline(incident.id), 'message_captured').filter((e) => e.message.ts === ts)).toHaveLength(1);
  });

  it('a 📌 on a classic integration message (no user, only username) credits that integration', async () => {
    const room = incident.room!.id;
    const event = JSON.parse(fixture('message.classic-bot.bolt-python.json', { C111: room })) as { text: string; username: string; bot_id: string };
    const ts = h.fake.workspace.addMessage(room, { text: event.text, bot_id: event.bot_id, subtype: 'bot_message', username: event.username }).ts;
    await h.driver.reactionAdded({ userId: 'U_ALICE', reaction: 'pushpin', channelId: room, itemTs: ts });
    const entry = await eventually(async () => ofType(await h.store.timeline(incident.id), 'message_captured').find((e) => e.message.ts === ts), 'the integration message');
    expect(entry.author).toEqual({ platform: 'slack', id: 'B888', name: 'classic-bot' });
  });

  it('sitrep’s own card, pinned again by a person, is still never captured', async () => {
    const room = incident.room!.id;
    const { channel: _channel, ...card } = h.fake.messages(room).find((m) => m.ts === incident.room!.cardId)!;
    const res = await h.driver.event({ type: 'pin_added', user: 'U_ALICE', channel_id: room, item: { type: 'message', channel: room, message: card }, pin_count: 1 });
    expect(res.status).toBe(200);
    await h.settle();
    expect(ofType(await h.store.timeline(incident.id), 'message_captured').some((e) => e.message.ts === incident.room!.cardId)).toBe(false);
  });
});

describe('edit and delete events as Slack documents them', () => {
  let incident: Incident;
  let room: string;
  const capture = async (text: string, userId = 'U_BOB') => {
    const ts = await h.driver.userMessage(room, userId, text);
    await h.driver.reactionAdded({ userId: 'U_ALICE', reaction: 'pushpin', channelId: room, itemTs: ts });
    await eventually(async () => ofType(await h.store.timeline(incident.id), 'message_captured').some((e) => e.message.ts === ts), 'captured');
    return ts;
  };
  beforeAll(async () => {
    incident = await declared('Cache stampede');
    room = incident.room!.id;
  });

  it('message_changed without previous_message (Slack’s docs example) keeps the earlier text from the timeline', async () => {
    const ts = await capture('TTL was 0');
    await h.driver.event({}, { rawBody: fixture('message_changed.docs-example.json', { C123ABC456: room, U123ABC456: 'U_BOB', '1355517523.000005': ts, T123ABC456: 'T_FAKE', Ev123ABC456: 'EvEDITDOC1' }) });
    const edit = await eventually(async () => ofType(await h.store.timeline(incident.id), 'message_edited').find((e) => e.message.ts === ts), 'the edit');
    expect(edit).toMatchObject({ text: 'Hello, world!', previousText: 'TTL was 0', actor: { id: 'U_BOB', name: 'bob' } });
  });

  it('message_changed without message.ts (bolt-python fixture) is matched by the previous message’s ts', async () => {
    const ts = await capture('original message', 'U_CAROL');
    await h.driver.event({}, { rawBody: fixture('message_changed.bolt-python.json', { C111: room, U111: 'U_CAROL', U222: 'U_CAROL', '1665102338.901939': ts, T111: 'T_FAKE', Ev111: 'EvEDITBP01' }) });
    const edit = await eventually(async () => ofType(await h.store.timeline(incident.id), 'message_edited').find((e) => e.message.ts === ts), 'the edit');
    expect(edit).toMatchObject({ text: 'updated message', previousText: 'original message' });
  });

  it('message_deleted without previous_message, in an authed_users envelope, is recorded with the author and last text', async () => {
    const ts = await capture('we should page payments');
    await h.driver.event({}, { rawBody: fixture('message_deleted.docs-example.json', { C123ABC456: room, U123ABC456: 'U_ALICE', '1358878749.000002': ts, T123ABC456: 'T_FAKE', Ev123ABC457: 'EvDELDOC01' }) });
    const deletion = await eventually(async () => ofType(await h.store.timeline(incident.id), 'message_deleted').find((e) => e.message.ts === ts), 'the deletion');
    expect(deletion).toMatchObject({ previousText: 'we should page payments', actor: { id: 'U_BOB', name: 'bob' } });
  });
});

describe('Slack throttling event delivery', () => {
  it('app_rate_limited is answered 200 at once, and counted on /metrics', async () => {
    const res = await h.driver.event({}, { rawBody: fixture('app_rate_limited.docs-example.json', { T123456: 'T_FAKE', A123456: 'A_SITREP' }) });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    const metrics = await (await fetch(`${h.sitrep.url}/metrics`)).text();
    expect(metrics).toMatch(/^sitrep_slack_events_throttled_total 1$/m);
  });
});

describe('paging a Slack user group', () => {
  it('pages each member of the group, and says so', async () => {
    h.fake.workspace.usergroups.set('S_PAY', { id: 'S_PAY', handle: 'payments-oncall', users: ['U_BOB', 'U_CAROL'] });
    const incident = await declared('Refunds failing');
    const res = await h.driver.slashCommand({ text: 'page <!subteam^S_PAY|@payments-oncall> refunds &amp; payouts failing', userId: 'U_ALICE', channelId: incident.room!.id });
    const told = await eventually(() => h.fake.responses(res.responseUrlId).find((r) => String(r.body.text).startsWith('Paged the')), 'the answer');
    expect(told.body.text).toBe('Paged the 2 members of @payments-oncall.');
    for (const user of ['U_BOB', 'U_CAROL']) {
      await eventually(() => h.fake.dms(user).find((m) => m.text.startsWith(`You are paged for INC-${incident.number}`)), `the page to ${user}`);
    }
    const pages = (await h.store.get(incident.id))!.pages;
    expect(pages.flatMap((p) => p.targets.map((t) => t.name))).toEqual(expect.arrayContaining(['bob', 'carol']));
    expect(pages.map((p) => p.message)).toContain('refunds & payouts failing');
  });

  it('says plainly when it cannot read the group, and pages nobody', async () => {
    const incident = await declared('Payments flapping');
    const res = await h.driver.slashCommand({ text: 'page <!subteam^S_NOPE|@payments-oncall> please look', userId: 'U_ALICE', channelId: incident.room!.id });
    const told = await eventually(() => h.fake.responses(res.responseUrlId).find((r) => String(r.body.text).includes('user group')), 'the answer');
    expect(told.body.text).toContain('cannot page the user group @payments-oncall');
    expect(told.body.text).toContain('no_such_subteam');
  });
});
