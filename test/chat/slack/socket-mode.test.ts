import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSitrep, type Sitrep } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/log.js';
import type { RedisIncidentStore } from '../../../src/store/incident-store.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { BOT, TEAM } from '../../fakes/slack/workspace.js';
import { cleanPrefix, testPrefix, testRedis, TEST_REDIS_URL } from '../../helpers/redis.js';
import { eventually } from '../../helpers/wait.js';

/** The recommended set-up: Socket Mode, no public URL. The real Bolt SocketModeClient against a fake Slack on loopback. */
let fake: FakeSlack;
let sitrep: Sitrep;
let store: RedisIncidentStore;
const prefix = testPrefix('slack-socket');

beforeAll(async () => {
  fake = await FakeSlack.start();
  sitrep = await startSitrep(
    parseConfig({ SLACK_BOT_TOKEN: fake.token, SLACK_APP_TOKEN: fake.appToken, SLACK_API_URL: fake.apiUrl, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1', SLACK_MIN_POST_INTERVAL_MS: '20' }),
    silentLogger,
  );
  store = sitrep.deps.store as RedisIncidentStore;
});
afterAll(async () => {
  await sitrep?.stop();
  await fake?.stop();
  const redis = testRedis();
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

function slashCommand(text: string, userId = 'U_ALICE', channelId = 'C_OPS') {
  const responseUrl = fake.workspace.issueResponseUrl({ channelId, userId });
  const payload = {
    token: 'fake-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: channelId,
    channel_name: fake.channel(channelId)?.name ?? 'unknown',
    user_id: userId,
    user_name: fake.workspace.users.get(userId)?.name ?? userId,
    command: '/incident',
    text,
    api_app_id: BOT.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl.url,
    trigger_id: fake.workspace.issueTrigger(userId),
  };
  return { payload, responseUrlId: responseUrl.id };
}

describe('Socket Mode', () => {
  it('connects through apps.connections.open with the app token, and Slack says hello', async () => {
    expect(fake.callsTo('apps.connections.open').filter((c) => c.ok)).toHaveLength(1);
    expect(fake.socketMode.open()).toHaveLength(1);
  });

  it('a slash_commands envelope is acked by envelope_id, and the incident opens with its escaped title decoded', async () => {
    const { payload, responseUrlId } = slashCommand('Socket &amp; mode outage');
    const ack = await fake.socketMode.send('slash_commands', payload);
    expect(Object.keys(ack)).toContain('envelope_id');
    const incident = await eventually(async () => (await store.listOpen()).find((i) => i.title === 'Socket & mode outage' && i.room?.cardId), 'the incident');
    expect(incident.room?.name).toBe(`inc-${incident.number}-socket-mode-outage`);
    await eventually(() => fake.responses(responseUrlId).find((r) => String(r.body.text).startsWith(`INC-${incident.number} declared`)), 'the confirmation');
  });

  it('an interactive view_submission gets its field errors in the ack payload', async () => {
    const view = { id: 'V_SOCKET', type: 'modal', callback_id: 'sitrep_declare', private_metadata: JSON.stringify({ channelId: 'C_OPS' }), state: { values: { title: { value: { type: 'plain_text_input', value: '' } } } }, hash: 'h', team_id: TEAM.id, app_id: BOT.appId, bot_id: BOT.botId };
    const ack = await fake.socketMode.send('interactive', { type: 'view_submission', team: { id: TEAM.id, domain: TEAM.domain }, user: { id: 'U_BOB', username: 'bob', name: 'bob', team_id: TEAM.id }, api_app_id: BOT.appId, token: 'x', trigger_id: fake.workspace.issueTrigger('U_BOB'), view, response_urls: [], is_enterprise_install: false, enterprise: null });
    expect(ack.payload).toEqual({ response_action: 'errors', errors: { title: 'Give the incident a title.' } });
  });

  it('an events_api envelope redelivered with retry_attempt records its pin once', async () => {
    const incident = await eventually(async () => (await store.listOpen()).find((i) => i.title === 'Socket & mode outage'), 'the incident');
    const room = incident.room!.id;
    const message = fake.workspace.addMessage(room, { user: 'U_BOB', text: 'queue depth 40k &gt; limit' });
    const event = { type: 'pin_added', user: 'U_BOB', channel_id: room, item: { type: 'message', channel: room, message: { type: 'message', ts: message.ts, user: 'U_BOB', text: message.text } }, pin_count: 2, event_ts: message.ts };
    const body = { token: 'x', team_id: TEAM.id, api_app_id: BOT.appId, event, type: 'event_callback', event_id: 'EvSOCKET001', event_time: Math.floor(Date.now() / 1000), authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: BOT.userId, is_bot: true, is_enterprise_install: false }] };
    await fake.socketMode.send('events_api', body);
    await fake.socketMode.send('events_api', body, { retryAttempt: 1 });
    const captured = async () => (await store.timeline(incident.id)).filter((e) => e.type === 'message_captured');
    await eventually(async () => (await captured()).length === 1, 'the captured pin');
    await sitrep.deps.background.idle();
    expect(await captured()).toHaveLength(1);
    expect((await captured())[0]).toMatchObject({ text: 'queue depth 40k > limit', author: { id: 'U_BOB', name: 'bob' } });
  });

  it('after Slack’s disconnect (refresh_requested) the app reconnects and keeps working', async () => {
    const opened = fake.callsTo('apps.connections.open').length;
    fake.socketMode.disconnect('refresh_requested');
    await eventually(() => fake.callsTo('apps.connections.open').length > opened && fake.socketMode.connections.length >= 2 && fake.socketMode.open().length >= 1, 'a new connection', 15_000);
    const { payload, responseUrlId } = slashCommand('list', 'U_CAROL');
    await eventually(() => fake.socketMode.send('slash_commands', payload, { timeoutMs: 1000 }).then(() => true, () => undefined), 'an ack on the new connection', 10_000);
    await eventually(() => fake.responses(responseUrlId).find((r) => /open incident/.test(String(r.body.text))), 'the list');
  });
});
