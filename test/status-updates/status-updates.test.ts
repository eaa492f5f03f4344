import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSitrep, type Sitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Incident } from '../../src/domain/incident.js';
import { silentLogger } from '../../src/log.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { SlackDriver } from '../fakes/slack/driver.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { SIGNING_SECRET, slackBotEnv, startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { killBots, spawnBot } from '../paging/child-bot.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';

const INTERVAL_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const reminderPosts = (fake: FakeSlack, i: Incident) => fake.messages(i.room!.id).filter((m) => m.text.startsWith('⏰'));

async function declareSev1(driver: SlackDriver, list: () => Promise<Incident[]>, title: string): Promise<Incident> {
  await driver.slashCommand({ text: title, userId: 'U_ALICE', channelId: 'C_GENERAL' });
  const incident = await eventually(async () => (await list()).find((i) => i.title === title && i.room?.cardId), `incident "${title}"`);
  await driver.slashCommand({ text: 'sev 1', userId: 'U_ALICE', channelId: incident.room!.id });
  return eventually(async () => (await list()).find((i) => i.id === incident.id && i.severity === 'SEV1'), 'SEV1');
}

describe('status updates and reminders', () => {
  let h: SlackHarness;
  let replica: Sitrep;
  beforeAll(async () => {
    h = await startSlackHarness({ SLACK_ANNOUNCE_CHANNEL: 'C_OPS', STATUS_UPDATE_REMINDERS: `SEV1=${INTERVAL_MS / 1000}s` });
    // A second replica on the same Redis: both run a reminder worker.
    replica = await h.startReplica();
  });
  afterAll(async () => {
    await replica?.stop();
    await h?.stop();
  });
  const list = () => h.store.listOpen();

  it('/incident update posts in the room and the announcements channel and is recorded with its author', async () => {
    await h.driver.slashCommand({ text: 'Orders stuck in pending', userId: 'U_ALICE', channelId: 'C_GENERAL' });
    const incident = await eventually(async () => (await list()).find((i) => i.title === 'Orders stuck in pending' && i.room?.cardId), 'incident');
    await h.driver.slashCommand({ text: 'update Payments provider degraded; failing over to the secondary', userId: 'U_BOB', channelId: incident.room!.id });
    const inRoom = await eventually(() => h.fake.messages(incident.room!.id).find((m) => m.text.includes('Status update')), 'update in the room');
    expect(inRoom.text).toContain('from <@U_BOB>');
    expect(inRoom.text).toContain('Payments provider degraded; failing over to the secondary');
    await eventually(() => h.fake.messages('C_OPS').find((m) => m.text.includes('status update: Payments provider degraded')), 'announcement');
    const recorded = (await h.store.timeline(incident.id)).filter((e) => e.type === 'status_update');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ actor: { id: 'U_BOB' }, text: 'Payments provider degraded; failing over to the secondary' });
    expect((await h.store.get(incident.id))?.lastStatusUpdateAt).toBe(recorded[0]!.at);
  });

  it('the card’s "Post update" opens a form whose submission is posted the same way', async () => {
    await h.driver.slashCommand({ text: 'Search is slow', userId: 'U_ALICE', channelId: 'C_GENERAL' });
    const incident = await eventually(async () => (await list()).find((i) => i.title === 'Search is slow' && i.room?.cardId), 'incident');
    await h.driver.blockAction({ userId: 'U_CAROL', actionId: 'sitrep_status_update', channelId: incident.room!.id, messageTs: incident.room!.cardId!, value: incident.id });
    const modal = await eventually(() => h.fake.views.find((v) => (v as { callback_id?: string }).callback_id === 'sitrep_status_update'), 'update form');
    await h.driver.viewSubmission({
      userId: 'U_CAROL',
      view: { id: (modal as { id: string }).id, state: { values: { text: { value: { type: 'plain_text_input', value: 'Index rebuilt; latency back to normal' } } } } },
    });
    await eventually(async () => (await h.store.timeline(incident.id)).find((e) => e.type === 'status_update' && e.actor.id === 'U_CAROL'), 'recorded');
  });

  it('with two replicas, a quiet SEV1 reminds its lead once per interval; an update restarts the clock', async () => {
    const incident = await declareSev1(h.driver, list, 'Checkout down');
    const first = await eventually(() => reminderPosts(h.fake, incident)[0], 'first reminder', INTERVAL_MS * 4);
    expect(first.text).toContain('<@U_ALICE>');
    await h.driver.slashCommand({ text: 'update Rolled back v2.3.1; error rate falling', userId: 'U_ALICE', channelId: incident.room!.id });
    await eventually(async () => (await h.store.get(incident.id))?.lastStatusUpdateAt, 'update recorded');
    await sleep(INTERVAL_MS * 1.6);
    const reminders = (await h.store.timeline(incident.id)).filter((e) => e.type === 'status_update_reminded');
    // One reminder per due time, one post per reminder, although both replicas run the timers.
    expect(new Set(reminders.map((e) => e.dueAt)).size).toBe(reminders.length);
    expect(reminderPosts(h.fake, incident)).toHaveLength(reminders.length);
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    const update = (await h.store.get(incident.id))!.lastStatusUpdateAt!;
    const afterUpdate = reminders.filter((e) => e.dueAt > update);
    // The update moved the next due time to update + interval, not to the old schedule.
    for (const e of afterUpdate) expect(Date.parse(e.dueAt) - Date.parse(update)).toBeGreaterThanOrEqual(INTERVAL_MS - 5);
  });

  it('a resolved incident is not reminded', async () => {
    const incident = await declareSev1(h.driver, list, 'Login flaps');
    await h.driver.slashCommand({ text: 'resolve flapping load balancer drained', userId: 'U_ALICE', channelId: incident.room!.id });
    await eventually(async () => (await h.store.get(incident.id))?.status === 'resolved', 'resolved');
    await sleep(INTERVAL_MS * 2);
    expect((await h.store.timeline(incident.id)).filter((e) => e.type === 'status_update_reminded')).toEqual([]);
    expect(reminderPosts(h.fake, incident)).toEqual([]);
  });
});

describe('reminders across a restart', () => {
  it('a reminder due while no bot runs fires once the bot is back', async () => {
    const fake = await FakeSlack.start();
    const prefix = testPrefix('remind-restart');
    const config = parseConfig({ ...slackBotEnv(fake, prefix), STATUS_UPDATE_REMINDERS: 'SEV1=3s' });
    let bot = await startSitrep(config, silentLogger);
    try {
      const driver = new SlackDriver({ botUrl: `${bot.url}/slack/events`, signingSecret: SIGNING_SECRET, fake });
      const store = bot.deps.store;
      const incident = await declareSev1(driver, () => store.listOpen(), 'Cache stampede');
      await bot.stop();
      await sleep(3500);
      expect(reminderPosts(fake, incident)).toEqual([]);
      bot = await startSitrep(config, silentLogger);
      await eventually(() => reminderPosts(fake, incident)[0], 'reminder after the restart', 8000);
      expect((await bot.deps.store.timeline(incident.id)).filter((e) => e.type === 'status_update_reminded').length).toBeGreaterThanOrEqual(1);
    } finally {
      await bot.stop();
      await fake.stop();
      const redis = testRedis();
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    }
  });
});

describe('reminders with two bot processes', () => {
  afterAll(async () => {
    await killBots();
  });

  it('two bot processes remind once per due time, and the survivor keeps reminding after the other is SIGKILLed', { timeout: 90_000 }, async () => {
    const fake = await FakeSlack.start();
    const prefix = testPrefix('remind-processes');
    const env = { ...slackBotEnv(fake, prefix), STATUS_UPDATE_REMINDERS: 'SEV1=2s' };
    const [first, second] = await Promise.all([spawnBot(env), spawnBot(env)]);
    const redis = testRedis();
    try {
      const driver = new SlackDriver({ botUrl: `${first.url}/slack/events`, signingSecret: SIGNING_SECRET, fake });
      const store = new RedisIncidentStore(redis, prefix);
      const incident = await declareSev1(driver, () => store.listOpen(), 'Payments queue backs up');
      await eventually(() => reminderPosts(fake, incident)[1], 'two reminders', 12_000);
      await first.kill();
      const before = (await store.timeline(incident.id)).filter((e) => e.type === 'status_update_reminded').length;
      await eventually(async () => (await store.timeline(incident.id)).filter((e) => e.type === 'status_update_reminded').length > before, 'a reminder from the survivor', 15_000);
      // The survivor records a reminder, then posts it: let the post arrive before stopping it.
      await eventually(async () => {
        const recorded = (await store.timeline(incident.id)).filter((e) => e.type === 'status_update_reminded').length;
        return reminderPosts(fake, incident).length >= recorded || undefined;
      }, 'the survivor’s post', 5000);
      await second.kill();
      const reminders = (await store.timeline(incident.id)).filter((e) => e.type === 'status_update_reminded');
      // Both processes run a reminder worker: still one reminder, and one post, per due time.
      expect(new Set(reminders.map((e) => e.dueAt)).size).toBe(reminders.length);
      expect(reminderPosts(fake, incident)).toHaveLength(reminders.length);
    } finally {
      await killBots();
      await fake.stop();
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    }
  });
});
