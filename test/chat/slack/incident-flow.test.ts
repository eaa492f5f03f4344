import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import type { TimelineEvent } from '../../../src/domain/timeline.js';
import { eventually } from '../../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function declare(title: string, userId = 'U_ALICE'): Promise<Incident> {
  const res = await h.driver.slashCommand({ text: title, userId, channelId: 'C_GENERAL' });
  expect(res.status).toBe(200);
  const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === title && i.room?.cardId), `incident "${title}" with its card`);
  // The declarer's confirmation is the last step of declare: everything before it is done.
  await eventually(() => h.fake.ephemerals().find((e) => e.user === userId && e.text.startsWith(`INC-${incident.number} declared`)), 'declare confirmation');
  await h.settle();
  return (await h.store.get(incident.id))!;
}

function findChannelByTitle(title: string) {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return [...allChannels()].find((c) => c.name.endsWith(slug));
}

function allChannels() {
  const ws = h.fake.workspace as unknown as { channels: Map<string, { id: string; name: string }> | { id: string; name: string }[] };
  return ws.channels instanceof Map ? ws.channels.values() : ws.channels;
}

async function types(incident: Incident): Promise<TimelineEvent['type'][]> {
  return (await h.store.timeline(incident.id)).map((e) => e.type);
}

describe('declaring from Slack', () => {
  it('/incident <title> acks at once, then opens a channel with the declarer, a pinned card, a topic and a timeline', async () => {
    const res = await h.driver.slashCommand({ text: 'Checkout returns 500', userId: 'U_ALICE', channelId: 'C_GENERAL' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);

    const reply = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_ALICE' && e.text.includes('declared')));
    const channel = findChannelByTitle('Checkout returns 500')!;
    expect(channel.name).toMatch(/^inc-\d+-checkout-returns-500$/);
    const incident = (await h.store.findByRoom('slack', channel.id))!;
    expect(h.fake.channel(channel.id)?.members).toContain('U_ALICE');
    const pins = h.fake.pins(channel.id);
    expect(pins.map((p) => p.ts)).toContain(incident.room?.cardId);
    const card = h.fake.messages(channel.id).find((m) => m.ts === incident.room?.cardId);
    expect(JSON.stringify(card?.blocks)).toContain('Checkout returns 500');
    expect(h.fake.channel(channel.id)?.topic.value).toMatch(/^INC-\d+ · SEV3 Minor · declared · lead alice$/);
    expect(incident.roles.lead).toMatchObject({ id: 'U_ALICE' });
    expect(await types(incident)).toEqual(['declared', 'role_assigned']);
    expect(reply.text).toContain(`<#${channel.id}>`);
  });

  it('/incident with no title opens the declare form, and submitting it declares with severity, service and description', async () => {
    await h.driver.slashCommand({ text: '', userId: 'U_BOB', channelId: 'C_GENERAL' });
    const view = await eventually(() => h.fake.views.find((v) => (v as { callback_id?: string }).callback_id === 'sitrep_declare' && (v as { user?: string }).user === 'U_BOB') ?? h.fake.views.find((v) => (v as { callback_id?: string }).callback_id === 'sitrep_declare'));
    const res = await h.driver.viewSubmission({
      userId: 'U_BOB',
      view: {
        id: (view as { id: string }).id,
        state: {
          values: {
            title: { value: { type: 'plain_text_input', value: 'Search is slow' } },
            severity: { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'SEV2' }, value: 'SEV2' } } },
            description: { value: { type: 'plain_text_input', value: 'p99 at 4 s' } },
            service: { value: { type: 'plain_text_input', value: 'search' } },
            trace: { value: { type: 'plain_text_input', value: null } },
          },
        },
      },
    });
    expect(res.status).toBe(200);
    const channel = await eventually(() => findChannelByTitle('Search is slow'));
    const incident = await eventually(async () => h.store.findByRoom('slack', channel.id));
    expect(incident).toMatchObject({ severity: 'SEV2', description: 'p99 at 4 s', affectedServices: ['search'] });
  });

  it('the declare form refuses a malformed trace id with a field error and declares nothing', async () => {
    await h.driver.slashCommand({ text: '', userId: 'U_CAROL', channelId: 'C_GENERAL' });
    const before = (await h.store.listOpen()).length;
    const res = await h.driver.viewSubmission({
      userId: 'U_CAROL',
      view: {
        callback_id: 'sitrep_declare',
        state: { values: { title: { value: { type: 'plain_text_input', value: 'x' } }, trace: { value: { type: 'plain_text_input', value: 'not-hex!' } } } },
      },
    });
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { trace: expect.any(String) } });
    expect((await h.store.listOpen()).length).toBe(before);
  });

  it('a name clash gets a suffix instead of failing', async () => {
    const number = Number(await h.sitrep.redis.get(`${h.prefix}incident:seq`)) + 1;
    h.fake.workspace.createChannel?.({ name: `inc-${number}-db-down`, creator: 'U_ALICE' } as never);
    const incident = await declare('DB down');
    expect(incident.room?.name).toBe(`inc-${number}-db-down-2`);
  });

  it('a rate-limited channel creation is retried after Retry-After', async () => {
    h.fake.failNext('conversations.create', 'ratelimited', { retryAfter: 1 });
    const incident = await declare('Payments timing out');
    expect(incident.room?.name).toMatch(/payments-timing-out$/);
    const creates = h.fake.callsTo('conversations.create').filter((c) => String((c.args as { name?: string }).name).endsWith('payments-timing-out'));
    expect(creates.map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
  });
});

describe('when Slack fails half-way through declare', () => {
  it('the declarer is told in plain words, and /incident repair finishes the same room without a second channel', async () => {
    h.fake.failNext('chat.postMessage', 'not_in_channel');
    await h.driver.slashCommand({ text: 'Half opened', userId: 'U_CAROL', channelId: 'C_GENERAL' });
    const told = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_CAROL' && e.text.includes('repair')), 'failure message');
    expect(told.text).toMatch(/^INC-(\d+) is declared, but its room could not be finished: .*not a member of that channel.*\/incident repair \d+/);
    const number = Number(/^INC-(\d+)/.exec(told.text)?.[1]);
    const half = await h.store.get(`inc-${number}`);
    expect(half?.room?.id).toBeDefined();
    expect(half?.room?.cardId).toBeUndefined();

    await h.driver.slashCommand({ text: `repair ${number}`, userId: 'U_CAROL', channelId: 'C_GENERAL' });
    const fixed = await eventually(async () => ((await h.store.get(`inc-${number}`))?.room?.cardId ? h.store.get(`inc-${number}`) : undefined), 'repaired room');
    expect(fixed?.room?.id).toBe(half?.room?.id);
    expect(h.fake.pins(fixed!.room!.id).map((p) => p.ts)).toContain(fixed?.room?.cardId);
    expect(h.fake.callsTo('conversations.create').filter((c) => String(c.args.name).endsWith('half-opened') && c.ok)).toHaveLength(1);
    expect((await h.store.timeline(`inc-${number}`)).filter((e) => e.type === 'declared')).toHaveLength(1);
  });
});

describe('inside an incident channel', () => {
  let incident: Incident;
  let channel: string;
  beforeAll(async () => {
    incident = await declare('Login broken');
    channel = incident.room!.id;
  });
  const run = async (text: string, userId = 'U_ALICE') => {
    const state = async () => JSON.stringify([await h.store.get(incident.id), (await h.store.timeline(incident.id)).length]);
    const before = await state();
    const res = await h.driver.slashCommand({ text, userId, channelId: channel });
    expect(res.status).toBe(200);
    // The work happens after the ack; wait until Bolt's listener finished: every command answers, or changes the incident or its timeline.
    await eventually(async () => h.fake.responses(res.responseUrlId).length > 0 || (await state()) !== before, `"/incident ${text}" to be handled`);
    await h.settle();
    return (await h.store.get(incident.id))!;
  };
  const cardBlocks = () => JSON.stringify(h.fake.messages(channel).find((m) => m.ts === incident.room?.cardId)?.blocks);

  it('every subcommand changes the incident, updates the pinned card in place and lands on the timeline', async () => {
    let cur = await run('status investigating looking at auth logs', 'U_BOB');
    expect(cur.status).toBe('investigating');
    await eventually(() => cardBlocks().includes('investigating'));

    cur = await run('sev 1');
    expect(cur).toMatchObject({ severity: 'SEV1', highestSeverity: 'SEV1' });
    cur = await run('sev 3');
    expect(cur).toMatchObject({ severity: 'SEV3', highestSeverity: 'SEV1' });

    cur = await run('comms <@U_CAROL|carol>');
    expect(cur.roles.comms).toMatchObject({ id: 'U_CAROL' });
    expect(h.fake.channel(channel)?.members).toContain('U_CAROL');
    cur = await run('scribe <@U_BOB|bob>');
    expect(cur.roles.scribe).toMatchObject({ id: 'U_BOB' });

    await run('note token cache was flushed at 03:02');
    await run('action add alerting on token cache size <@U_BOB|bob>');
    await run('status identified');
    cur = await run('status monitoring');
    expect(cur.mitigatedAt).toBeDefined();
    cur = await run('resolve cache warmed, logins back');
    expect(cur).toMatchObject({ status: 'resolved', resolveSummary: 'cache warmed, logins back' });

    const timeline = await h.store.timeline(incident.id);
    const byType = (t: string) => timeline.filter((e) => e.type === t);
    expect(byType('status_changed').map((e) => (e as { to: string }).to)).toEqual(['investigating', 'identified', 'monitoring', 'resolved']);
    expect(byType('status_changed')[0]?.actor).toMatchObject({ id: 'U_BOB' });
    expect(byType('severity_changed')).toHaveLength(2);
    expect(byType('note')[0]).toMatchObject({ text: 'token cache was flushed at 03:02' });
    expect(byType('action_item_added')[0]).toMatchObject({ text: 'add alerting on token cache size', owner: { id: 'U_BOB' } });
    expect(byType('resolved')).toHaveLength(1);
    // The card is one message updated in place; everything else is threaded under it.
    const topLevel = h.fake.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    expect(topLevel).toHaveLength(1);
  });

  it('only the lead may close; others are told who the lead is', async () => {
    await run('close', 'U_BOB');
    const denied = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_BOB' && e.text.includes('Only the incident lead')));
    expect(denied.text).toContain('<@U_ALICE>');
    expect((await h.store.get(incident.id))?.status).toBe('resolved');
    const cur = await run('close', 'U_ALICE');
    expect(cur.status).toBe('closed');
    expect(cur.closedAt).toBeDefined();
  });

  it('an unknown subcommand in an incident channel answers with help and changes nothing', async () => {
    const before = await h.store.timeline(incident.id);
    await run('stauts investigating', 'U_BOB');
    const help = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_BOB' && e.text.includes('Unknown subcommand "stauts"')));
    expect(help.text).toContain('/incident note');
    expect(await h.store.timeline(incident.id)).toHaveLength(before.length);
  });

  it('a room-only command outside an incident channel explains where it works', async () => {
    await h.driver.slashCommand({ text: 'note hello', userId: 'U_CAROL', channelId: 'C_OPS' });
    const help = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_CAROL' && e.text.includes('inside an incident channel')));
    expect(help).toBeDefined();
  });

  it('/incident list shows open incidents', async () => {
    await h.driver.slashCommand({ text: 'list', userId: 'U_CAROL', channelId: 'C_OPS' });
    const list = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_CAROL' && /^\d+ open incident/.test(e.text)));
    expect(list.text).toContain('Checkout returns 500');
    expect(list.text).not.toContain('Login broken');
  });
});

describe('card buttons', () => {
  it('status and severity selects, lead picker and resolve act once however often they are clicked', async () => {
    const incident = await declare('Queue backlog');
    const channel = incident.room!.id;
    const click = (actionId: string, extra: Record<string, unknown>) =>
      h.driver.blockAction({ userId: 'U_BOB', actionId, channelId: channel, messageTs: incident.room!.cardId!, blockId: `sitrep_controls:${incident.id}`, ...extra });
    await click('sitrep_status', { selectedOption: 'investigating' });
    await click('sitrep_status', { selectedOption: 'investigating' });
    await click('sitrep_severity', { selectedOption: 'SEV2' });
    await click('sitrep_lead', { selectedUser: 'U_CAROL' });
    await click('sitrep_resolve', { value: incident.id });
    await click('sitrep_resolve', { value: incident.id });
    await eventually(async () => (await h.store.get(incident.id))?.status === 'resolved');
    await new Promise((r) => setTimeout(r, 200));
    await h.settle();
    const t = await types(incident);
    expect(t.filter((x) => x === 'status_changed')).toHaveLength(2); // investigating, resolved
    expect(t.filter((x) => x === 'resolved')).toHaveLength(1);
    const cur = await h.store.get(incident.id);
    expect(cur).toMatchObject({ severity: 'SEV2', roles: { lead: { id: 'U_CAROL' } } });
  });
});

describe('timeline capture', () => {
  let incident: Incident;
  let channel: string;
  beforeAll(async () => {
    incident = await declare('Cache stampede');
    channel = incident.room!.id;
  });
  const captured = async () => (await h.store.timeline(incident.id)).filter((e) => e.type === 'message_captured');

  it('a 📌 reaction delivered with three retries records the message once, with author and permalink', async () => {
    const ts = await h.driver.userMessage(channel, 'U_BOB', 'redis evictions spiking since 02:55');
    const res = await h.driver.reactionAdded({ userId: 'U_ALICE', reaction: 'pushpin', channelId: channel, itemTs: ts });
    for (let n = 1; n <= 3; n++) {
      await h.driver.event({ type: 'reaction_added', user: 'U_ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts }, event_ts: ts }, { eventId: res.eventId, retryNum: n, retryReason: 'http_timeout' });
    }
    await eventually(async () => (await captured()).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    const entries = await captured();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ text: 'redis evictions spiking since 02:55', author: { id: 'U_BOB' }, via: 'reaction' });
    expect((entries[0] as { permalink?: string }).permalink).toMatch(/^https:\/\/fake\.slack\.test\/archives\//);
  });

  it('pinning a message records it once across retries; the bot’s own card pin is ignored', async () => {
    const ts = await h.driver.userMessage(channel, 'U_CAROL', 'rolled back deploy 8812');
    const before = (await captured()).length;
    const res = await h.driver.pinAdded({ userId: 'U_CAROL', channelId: channel, messageTs: ts });
    const event = { type: 'pin_added', user: 'U_CAROL', channel_id: channel, item: { type: 'message', channel, message: { type: 'message', ts, user: 'U_CAROL', text: 'rolled back deploy 8812' } } };
    for (let n = 1; n <= 3; n++) await h.driver.event(event, { eventId: res.eventId, retryNum: n });
    await eventually(async () => (await captured()).length === before + 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await captured()).toHaveLength(before + 1);
    expect((await captured()).every((e) => (e as { author: { id: string } }).author.id !== 'U_SITREP')).toBe(true);
  });

  it('the "Add to incident timeline" shortcut records once when clicked three times', async () => {
    const ts = await h.driver.userMessage(channel, 'U_ALICE', 'customer reports from EU only');
    const before = (await captured()).length;
    for (let n = 0; n < 3; n++) {
      await h.driver.messageAction({ callbackId: 'sitrep_capture', userId: 'U_ALICE', channelId: channel, message: { ts, user: 'U_ALICE', text: 'customer reports from EU only', files: [{ name: 'graph.png', permalink: 'https://files.fake/graph.png' }] } });
    }
    await eventually(async () => (await captured()).length === before + 1);
    await new Promise((r) => setTimeout(r, 200));
    const entries = await captured();
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({ via: 'shortcut', files: [{ name: 'graph.png', url: 'https://files.fake/graph.png' }] });
  });

  it('editing and deleting a captured message follows into the timeline, keeping the earlier text', async () => {
    const ts = await h.driver.userMessage(channel, 'U_BOB', 'root cause: bad TTL');
    await h.driver.reactionAdded({ userId: 'U_BOB', reaction: 'pushpin', channelId: channel, itemTs: ts });
    await eventually(async () => (await captured()).some((e) => (e as { text: string }).text === 'root cause: bad TTL'));
    await h.driver.messageChanged({ channelId: channel, ts, text: 'root cause: TTL of 0 on token cache' });
    await h.driver.messageDeleted({ channelId: channel, ts });
    const timeline = await eventually(async () => {
      const t = await h.store.timeline(incident.id);
      return t.some((e) => e.type === 'message_deleted') ? t : undefined;
    });
    expect(timeline.find((e) => e.type === 'message_edited')).toMatchObject({ previousText: 'root cause: bad TTL', text: 'root cause: TTL of 0 on token cache' });
    expect(timeline.find((e) => e.type === 'message_deleted')).toMatchObject({ previousText: 'root cause: TTL of 0 on token cache' });
  });
});

describe('requests that are not from Slack', () => {
  it('a forged signature is rejected with 401 and nothing is written', async () => {
    const before = await h.sitrep.redis.get(`${h.prefix}incident:seq`);
    const res = await h.driver.slashCommand({ text: 'Forged incident', userId: 'U_ALICE', channelId: 'C_GENERAL', forgeSignature: true });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.sitrep.redis.get(`${h.prefix}incident:seq`)).toBe(before);
    expect(findChannelByTitle('Forged incident')).toBeUndefined();
  });

  it('a request older than five minutes is rejected', async () => {
    const res = await h.driver.slashCommand({ text: 'Replayed incident', userId: 'U_ALICE', channelId: 'C_GENERAL', timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(findChannelByTitle('Replayed incident')).toBeUndefined();
  });

  it('a malformed body is answered 400', async () => {
    const res = await h.driver.event({}, { rawBody: '{"type": "event_callback", ', contentType: 'application/json' });
    expect(res.status).toBe(400);
  });
});
