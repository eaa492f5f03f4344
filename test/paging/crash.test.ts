// A replica that crashes (SIGKILL: no graceful stop, no BullMQ close) loses no escalation. The replica that
// dies is the real bot in a child process; the one that takes over runs in this process. Both use the same
// Redis prefix and fake Slack, as two pods of one deployment would.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startSitrep, type Sitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Incident } from '../../src/domain/incident.js';
import { silentLogger } from '../../src/log.js';
import { jobIdOf, PAGING_QUEUE, pagingQueuePrefix, STALL_RECOVERY, type PagingJob } from '../../src/paging/timers.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { SlackDriver } from '../fakes/slack/driver.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { SIGNING_SECRET, slackBotEnv } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { killBots, spawnBot, type ChildBot } from './child-bot.js';
import {
  channelTexts,
  current,
  declare,
  escalationSummary,
  eventsOf,
  page,
  pagesReceived,
  pagingEvents,
  sleep,
  waitForPage,
  ONCALL_FIXTURE,
  type PagingView,
} from './e2e.js';
import { SlackLink } from './slack-link.js';

/** The longest a crashed replica's job may wait for another replica: the lock runs out, then two stall checks. */
const RECOVERY_MS = STALL_RECOVERY.lockDurationMs + 2 * STALL_RECOVERY.stalledIntervalMs;
const TEST_MS = 40_000;

interface World {
  fake: FakeSlack;
  prefix: string;
  redis: Redis;
  store: RedisIncidentStore;
  /** BullMQ's view of the paging jobs, read-only. */
  queue: Queue;
  links: SlackLink[];
  replicas: Sitrep[];
}

let world: World | undefined;

afterEach(async () => {
  await killBots();
  if (!world) return;
  const w = world;
  world = undefined;
  for (const r of w.replicas) await r.stop();
  for (const l of w.links) await l.stop();
  await w.queue.close();
  await w.fake.stop();
  await cleanPrefix(w.redis, w.prefix);
  w.redis.disconnect();
});

async function startWorld(): Promise<World> {
  const fake = await FakeSlack.start();
  const prefix = testPrefix('crash');
  const redis = testRedis();
  const queue = new Queue(PAGING_QUEUE, { connection: redis.duplicate(), prefix: pagingQueuePrefix(prefix) });
  world = { fake, prefix, redis, store: new RedisIncidentStore(redis, prefix), queue, links: [], replicas: [] };
  return world;
}

/** The replica that will crash, and the helpers' view of the world through it. */
async function startDoomedReplica(w: World, link?: SlackLink): Promise<{ bot: ChildBot; via: PagingView }> {
  const bot = await spawnBot({ ...slackBotEnv(w.fake, w.prefix), ONCALL_FILE: ONCALL_FIXTURE, ...(link ? { SLACK_API_URL: link.apiUrl } : {}) });
  const driver = new SlackDriver({ botUrl: `${bot.url}/slack/events`, signingSecret: SIGNING_SECRET, fake: w.fake });
  return { bot, via: { fake: w.fake, driver, store: w.store } };
}

/** The replica that takes over: in this process, straight to the fake Slack. */
async function startReplica(w: World): Promise<Sitrep> {
  const replica = await startSitrep(parseConfig({ ...slackBotEnv(w.fake, w.prefix), ONCALL_FILE: ONCALL_FIXTURE }), silentLogger);
  w.replicas.push(replica);
  return replica;
}

async function linkToSlack(w: World): Promise<SlackLink> {
  const link = await SlackLink.start(w.fake.origin);
  w.links.push(link);
  return link;
}

type JobRef = Pick<PagingJob, 'kind' | 'pageId' | 'level' | 'pass'>;

async function jobState(w: World, job: JobRef): Promise<string> {
  return w.queue.getJobState(jobIdOf(job));
}

/** How many times BullMQ found the job's worker dead and handed the job on. */
async function timesStalled(w: World, job: JobRef): Promise<number | undefined> {
  return (await w.queue.getJob(jobIdOf(job)))?.stalledCounter;
}

/** Pages team-relay (level 1: alice for 3 s, level 2: bob) and waits until the level-1 page is fully sent. */
async function pageRelay(w: World, via: PagingView, title: string): Promise<{ incident: Incident; pageId: string; due: number }> {
  const incident = await declare(via, title);
  await page(via, incident, 'team-relay');
  const { pageId } = await waitForPage(via, 'U_ALICE', incident);
  await eventually(async () => (await jobState(w, { kind: 'deliver', pageId, level: 0, pass: 0 })) === 'completed', 'the level-1 page fully sent');
  const due = Date.parse((await current(via, incident)).pages[0]!.nextEscalationAt!);
  return { incident, pageId, due };
}

describe('a crashed replica loses no escalation', () => {
  it('a replica killed while a page waits for its timeout: the next replica escalates once, on time', { timeout: TEST_MS }, async () => {
    const w = await startWorld();
    const { bot, via } = await startDoomedReplica(w);
    const { incident, pageId, due } = await pageRelay(w, via, 'Crash before the timeout');

    expect(Date.now()).toBeLessThan(due);
    await bot.kill();
    expect(await jobState(w, { kind: 'escalate', pageId, level: 0, pass: 0 })).toBe('delayed');
    await startReplica(w);

    const bobs = await waitForPage(via, 'U_BOB', incident);
    expect(bobs.buttons).toBe(true);
    const [escalated] = await eventsOf(via, incident, 'escalated');
    const late = Date.parse(escalated!.at) - due;
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(3000);

    await sleep(1500);
    expect(escalationSummary(await pagingEvents(via, incident))).toEqual(['paged U_ALICE', 'escalated 0→1', 'paged U_BOB']);
    expect(pagesReceived(via, 'U_BOB', incident)).toHaveLength(1);
    expect(pagesReceived(via, 'U_ALICE', incident).map((p) => p.buttons)).toEqual([false]);
    expect((await current(via, incident)).pages[0]).toMatchObject({ level: 1, status: 'pending', announced: '1.0' });
  });

  it('a replica killed in the middle of an escalation, the page to bob not yet sent: another replica finishes it, exactly once', { timeout: TEST_MS }, async () => {
    const w = await startWorld();
    const link = await linkToSlack(w);
    const { bot, via } = await startDoomedReplica(w, link);
    const { incident, pageId } = await pageRelay(w, via, 'Crash while escalating');

    // The escalation commits, then its Slack calls hang: updating alice's DM, sending bob's.
    link.hold('chat.update', 'request');
    link.hold('chat.postMessage', 'request');
    const escalate = { kind: 'escalate', pageId, level: 0, pass: 0 } as const;
    const deliver = { kind: 'deliver', pageId, level: 1, pass: 0 } as const;
    await eventually(() => link.held.some((c) => c.method === 'chat.postMessage'), 'the page to bob in flight', 8000);
    expect(await jobState(w, escalate)).toBe('active');
    expect(await jobState(w, deliver)).toBe('active');
    expect(await eventsOf(via, incident, 'escalated')).toHaveLength(1);

    await bot.kill();
    await startReplica(w);

    await eventually(() => pagesReceived(via, 'U_BOB', incident).length > 0, 'the page to bob, sent by the other replica', RECOVERY_MS);
    await eventually(async () => (await jobState(w, escalate)) === 'completed' && (await jobState(w, deliver)) === 'completed', 'both jobs finished');
    await sleep(1500);
    expect(await timesStalled(w, escalate)).toBe(1);
    expect(await timesStalled(w, deliver)).toBe(1);
    expect(escalationSummary(await pagingEvents(via, incident))).toEqual(['paged U_ALICE', 'escalated 0→1', 'paged U_BOB']);
    expect(pagesReceived(via, 'U_BOB', incident).map((p) => p.buttons)).toEqual([true]);
    expect(pagesReceived(via, 'U_ALICE', incident).map((p) => p.buttons)).toEqual([false]);
    expect(channelTexts(via, incident).filter((t) => t.startsWith(':pager: Paged <@U_BOB>'))).toHaveLength(1);
    const state = (await current(via, incident)).pages[0]!;
    expect(state).toMatchObject({ level: 1, status: 'pending', announced: '1.0' });
    expect(state.handles.map((h) => `${h.user.id}@${h.level}`)).toEqual(['U_ALICE@0', 'U_BOB@1']);
  });

  it('a replica killed after Slack took the page to bob but before sitrep recorded it: bob gets it twice, everything else happens once', { timeout: TEST_MS }, async () => {
    // The one thing a crash can duplicate (see PagingService.deliver): Slack has no idempotency key, so the
    // retried job cannot know the dead replica's DM went out. What holds: one escalation, one page event,
    // one channel line, one recorded page message for bob, and no more than that one extra DM.
    const w = await startWorld();
    const link = await linkToSlack(w);
    const { bot, via } = await startDoomedReplica(w, link);
    const { incident, pageId } = await pageRelay(w, via, 'Crash after sending');

    link.hold('chat.postMessage', 'answer');
    const deliver = { kind: 'deliver', pageId, level: 1, pass: 0 } as const;
    await eventually(() => link.held.some((c) => c.method === 'chat.postMessage'), 'the page to bob sent, its answer in flight', 8000);
    expect(pagesReceived(via, 'U_BOB', incident)).toHaveLength(1);
    expect(await jobState(w, deliver)).toBe('active');

    await bot.kill();
    await startReplica(w);

    await eventually(() => pagesReceived(via, 'U_BOB', incident).length > 1, 'the page to bob, sent again by the other replica', RECOVERY_MS);
    await eventually(async () => (await jobState(w, deliver)) === 'completed', 'the delivery finished');
    await sleep(1500);
    expect(await timesStalled(w, deliver)).toBe(1);
    expect(escalationSummary(await pagingEvents(via, incident))).toEqual(['paged U_ALICE', 'escalated 0→1', 'paged U_BOB']);
    const bobs = pagesReceived(via, 'U_BOB', incident);
    expect(bobs).toHaveLength(2);
    expect(bobs.map((p) => p.pageId)).toEqual([pageId, pageId]);
    expect(channelTexts(via, incident).filter((t) => t.startsWith(':pager: Paged <@U_BOB>'))).toHaveLength(1);
    const state = (await current(via, incident)).pages[0]!;
    expect(state).toMatchObject({ level: 1, status: 'pending', announced: '1.0' });
    const bobHandles = state.handles.filter((h) => h.user.id === 'U_BOB');
    expect(bobHandles.map((h) => h.handle)).toEqual([`${bobs[1]!.message.channel}|${bobs[1]!.message.ts}`]);
  });

  it('a replica killed before the first page went out, its level (3 s) shorter than the recovery: alice still gets it, and has her full 3 s from then', { timeout: 2 * TEST_MS + 20_000 }, async () => {
    // The page to alice is stuck on its way to Slack when the replica dies; another replica picks the job up
    // 5–15 s later, long after a 3 s level would have run out had its timer started when the page was queued.
    const w = await startWorld();
    const link = await linkToSlack(w);
    const { bot, via } = await startDoomedReplica(w, link);
    const incident = await declare(via, 'Crash before the page went out');

    link.hold('chat.postMessage', 'request');
    await page(via, incident, 'team-relay');
    await eventually(() => link.held.some((c) => c.method === 'chat.postMessage'), 'the page to alice on its way to Slack', 8000);
    const pageId = (await current(via, incident)).pages[0]!.id;
    expect(await eventsOf(via, incident, 'paged')).toEqual([]); // queued is not sent
    expect((await current(via, incident)).pages[0]).toMatchObject({ status: 'pending', level: 0 });
    expect((await current(via, incident)).pages[0]!.nextEscalationAt).toBeUndefined();

    await bot.kill();
    await sleep(4000); // longer than alice's level: nothing may escalate while her page has not gone out
    await startReplica(w);

    await eventually(() => pagesReceived(via, 'U_ALICE', incident).length > 0, 'the page to alice, sent by the other replica', RECOVERY_MS + 5000);
    expect(await eventsOf(via, incident, 'escalated')).toEqual([]);
    await waitForPage(via, 'U_BOB', incident);
    const [pagedAlice] = await eventsOf(via, incident, 'paged');
    const [escalated] = await eventsOf(via, incident, 'escalated');
    expect(Date.parse(escalated!.at) - Date.parse(pagedAlice!.at)).toBeGreaterThanOrEqual(3000);
    expect(pagedAlice!.actor.id).toBe('U_CAROL');

    await sleep(1000);
    expect(await timesStalled(w, { kind: 'deliver', pageId, level: 0, pass: 0 })).toBe(1);
    expect(escalationSummary(await pagingEvents(via, incident))).toEqual(['paged U_ALICE', 'escalated 0→1', 'paged U_BOB']);
    expect(pagesReceived(via, 'U_ALICE', incident)).toHaveLength(1);
    expect(channelTexts(via, incident).filter((t) => t.startsWith(':pager: Paged <@U_ALICE>'))).toEqual([
      expect.stringContaining('Escalates in 3 s if nobody acknowledges.'),
    ]);
  });
});
