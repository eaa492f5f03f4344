import { App, LogLevel as BoltLogLevel } from '@slack/bolt';
import { LogLevel, WebClient } from '@slack/web-api';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackDriver } from './driver.js';
import { FakeSlack } from './server.js';

const retryConfig = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 };

function webClient(fake: FakeSlack, token = fake.token): WebClient {
  return new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig, logLevel: LogLevel.ERROR });
}

describe('fake Slack Web API, driven by the real WebClient', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    client = webClient(fake);
  });
  afterAll(() => fake.stop());

  it('opens an incident room once, refuses a taken or malformed name, and invites responders once', async () => {
    const created = await client.conversations.create({ name: 'inc-42-db-down' });
    const roomId = created.channel?.id ?? '';
    expect(fake.channelByName('inc-42-db-down')?.members).toEqual(['U_SITREP']);

    await expect(client.conversations.create({ name: 'inc-42-db-down' })).rejects.toMatchObject({ data: { error: 'name_taken' } });
    await expect(client.conversations.create({ name: 'INC 42' })).rejects.toMatchObject({ data: { error: 'invalid_name_specials' } });

    await client.conversations.invite({ channel: roomId, users: 'U_ALICE,U_BOB' });
    await expect(client.conversations.invite({ channel: roomId, users: 'U_ALICE' })).rejects.toMatchObject({ data: { error: 'already_in_channel' } });
    expect(fake.channel(roomId)?.members).toEqual(['U_SITREP', 'U_ALICE', 'U_BOB']);
  });

  it('posts, edits, pins and links a status message, but not where the bot is no member', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*SEV2* investigating' } }];
    const posted = await client.chat.postMessage({ channel: '#ops', text: 'SEV2 investigating', blocks });
    const ts = posted.ts ?? '';
    await client.chat.update({ channel: 'C_OPS', ts, text: 'SEV2 identified' });
    await client.pins.add({ channel: 'C_OPS', timestamp: ts });
    await expect(client.pins.add({ channel: 'C_OPS', timestamp: ts })).rejects.toMatchObject({ data: { error: 'already_pinned' } });
    const link = await client.chat.getPermalink({ channel: 'C_OPS', message_ts: ts });

    expect(ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.messages('C_OPS')).toEqual([expect.objectContaining({ ts, text: 'SEV2 identified', blocks, edited: expect.objectContaining({ user: 'U_SITREP' }) })]);
    expect(fake.pins('C_OPS').map((p) => p.ts)).toEqual([ts]);
    expect(link.permalink).toBe(`https://fake.slack.test/archives/C_OPS/p${ts.replace('.', '')}`);
    await expect(client.chat.postMessage({ channel: 'C_GENERAL', text: 'hi' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
  });

  it('takes a files.uploadV2 upload through all three steps and shares it into the channel', async () => {
    await client.filesUploadV2({ channel_id: 'C_OPS', content: '10:02 db down', filename: 'timeline.md', title: 'Timeline', initial_comment: 'Timeline so far' });

    expect(fake.calls.map((c) => c.method).slice(-2)).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    const [file] = fake.files;
    expect(file?.bytes.toString()).toBe('10:02 db down');
    expect(fake.messages('C_OPS').at(-1)).toMatchObject({ text: 'Timeline so far', files: [expect.objectContaining({ id: file?.id, title: 'Timeline' })] });
  });

  it('opens a modal only with a fresh trigger, and only once', async () => {
    const view = { type: 'modal' as const, callback_id: 'declare', title: { type: 'plain_text' as const, text: 'Declare incident' }, blocks: [] };
    const trigger = fake.workspace.issueTrigger('U_ALICE');
    const opened = await client.views.open({ trigger_id: trigger, view });
    await expect(client.views.open({ trigger_id: trigger, view })).rejects.toMatchObject({ data: { error: 'exchanged_trigger_id' } });
    expect(fake.views).toEqual([expect.objectContaining({ id: opened.view?.id, user: 'U_ALICE', open: true, callback_id: 'declare' })]);
  });

  it('answers ratelimited with 429 and Retry-After, which WebClient waits out and retries', async () => {
    fake.failNext('conversations.create', 'ratelimited', { retryAfter: 1 });
    await client.conversations.create({ name: 'inc-43' });
    const [limited, retried] = fake.callsTo('conversations.create').slice(-2);
    expect(limited).toMatchObject({ ok: false, error: 'ratelimited', injected: true });
    expect(retried).toMatchObject({ ok: true });
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('refuses a wrong token and unknown methods the way Slack does', async () => {
    await expect(webClient(fake, 'xoxb-wrong').auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(client.apiCall('incidents.declare')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });
});

describe('SlackDriver against a real Bolt app', () => {
  const signingSecret = 'fake-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let driver: SlackDriver;
  const retryNums: (number | undefined)[] = [];

  beforeAll(async () => {
    fake = await FakeSlack.start();
    app = new App({ token: fake.token, signingSecret, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: BoltLogLevel.ERROR });
    app.command('/incident', async ({ ack, command, client }) => {
      await ack();
      await client.chat.postMessage({ channel: command.channel_id, text: `Declared: ${command.text}` });
    });
    app.event('reaction_added', async ({ context }) => {
      retryNums.push(context.retryNum);
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    driver = new SlackDriver({ botUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret, fake });
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('acks a slash command at once, then the bot posts in the channel it came from', async () => {
    const res = await driver.slashCommand({ command: '/incident', text: 'db down', userId: 'U_ALICE', channelId: 'C_OPS' });

    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    await fake.waitFor(() => fake.messages('C_OPS').find((m) => m.text === 'Declared: db down'), 2000, 'the declaration message');
  });

  it('answers 401 to a forged signature and to a stale timestamp, without running the handler', async () => {
    const before = fake.messages('C_OPS').length;
    const forged = await driver.slashCommand({ text: 'forged', userId: 'U_ALICE', channelId: 'C_OPS', forgeSignature: true });
    const stale = await driver.slashCommand({ text: 'stale', userId: 'U_ALICE', channelId: 'C_OPS', timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });

    expect([forged.status, stale.status]).toEqual([401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.messages('C_OPS')).toHaveLength(before);
  });

  it('echoes the url_verification challenge', async () => {
    const res = await driver.urlVerification('challenge-123');
    expect(res.json).toEqual({ challenge: 'challenge-123' });
  });

  it('marks Slack retries of one event with X-Slack-Retry-Num', async () => {
    const ts = await driver.userMessage('C_OPS', 'U_BOB', 'seeing 500s on checkout');
    const event = { type: 'reaction_added', user: 'U_BOB', reaction: 'eyes', item_user: 'U_BOB', item: { type: 'message', channel: 'C_OPS', ts }, event_ts: ts };
    const responses = await driver.eventWithRetries(event, 2);

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(responses.map((r) => r.eventId)).size).toBe(1);
    await fake.waitFor(() => retryNums.length === 3, 2000, 'three deliveries');
    expect(retryNums).toEqual([undefined, 1, 2]);
  });
});
