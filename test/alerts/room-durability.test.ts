import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sitrep } from '../../src/app.js';
import type { Incident } from '../../src/domain/incident.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { cleanPrefix, testRedis } from '../helpers/redis.js';
import { eventually } from '../helpers/wait.js';
import { genericAlert, INTAKE_RULES, sendHook } from './webhooks.js';

const ONCALL = resolve(process.cwd(), 'test/paging/fixtures/oncall-slack.yaml');
/** team-search pages Alice first (30-minute levels: nothing escalates during a test). */
const alertFor = (title: string) => genericAlert(title, { service: 'search', team: 'team-search' });

let running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.reverse()) await r.stop();
  running = [];
});

async function harness(env: Record<string, string>): Promise<SlackHarness> {
  const h = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES, ONCALL_FILE: ONCALL, ...env });
  running.push(h);
  return h;
}

async function incidentOf(h: SlackHarness, fingerprint: string): Promise<Incident> {
  return eventually(async () => {
    const id = await h.store.findByFingerprint(fingerprint);
    return id ? h.store.get(id) : undefined;
  }, `the incident of alert ${fingerprint}`);
}

const refusedCreates = (h: SlackHarness) => h.fake.callsTo('conversations.create').filter((c) => c.error).length;
const createdChannels = (h: SlackHarness, name: string) => h.fake.callsTo('conversations.create').filter((c) => !c.error && String(c.args.name).includes(name));

describe('an alert incident whose room chat refuses is never lost', () => {
  it('chat refusing longer than the old give-up window: 202, the on-call paged meanwhile, and the room opens late saying what happened', async () => {
    const h = await harness({ ROOM_RETRY_FIRST_MS: '20', ROOM_RETRY_MAX_MS: '80' });
    h.fake.failNext('conversations.create', 'fatal_error', { times: 100_000 });

    const first = await sendHook(h.sitrep.url, 'generic', alertFor('Search index stale'));
    expect(first.status).toBe(202);
    expect(first.json.alerts?.[0]).toMatchObject({ outcome: 'declaring' });
    const fingerprint = first.json.alerts![0]!.fingerprint;
    const incident = await incidentOf(h, fingerprint);

    // Paged although there is no room to link to.
    const page = await eventually(() => h.fake.dms('U_ALICE').find((m) => m.text?.includes(`INC-${incident.number}`)), 'the page to reach Alice', 8000);
    expect(page).toBeTruthy();
    // Well past the 8 tries after which sitrep used to give up for good.
    await eventually(() => refusedCreates(h) >= 12, 'twelve refused tries', 10_000);
    expect((await h.store.get(incident.id))?.room).toBeUndefined();
    expect(await h.sitrep.rooms.isWaiting(incident.id)).toBe(true);
    expect((await h.sitrep.rooms.backlog()).count).toBe(1);

    const again = await sendHook(h.sitrep.url, 'generic', alertFor('Search index stale'));
    expect(again.json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId: incident.id });

    h.fake.heal('conversations.create');
    const opened = await eventually(async () => {
      const cur = await h.store.get(incident.id);
      return cur?.room?.cardId ? cur : undefined;
    }, 'the room to open once chat accepts', 8000);
    expect(createdChannels(h, 'search-index-stale')).toHaveLength(1);
    const late = await eventually(() => h.fake.messages(opened.room!.id).find((m) => m.text?.includes('chat refused to open this room until now')), 'the late note');
    expect(late.thread_ts).toBe(opened.room!.cardId);
    expect(late.text).toContain('paged team-search');
    expect(late.text).toContain('fired again (count 2): Search index stale');
    await eventually(async () => !(await h.sitrep.rooms.isWaiting(incident.id)), 'the room to stop waiting');
    expect((await h.sitrep.rooms.backlog()).count).toBe(0);
    // One page, not one per try.
    expect((await h.store.get(incident.id))?.pages).toHaveLength(1);
  });

  it('a repeat firing cuts the back-off short: the room opens at once instead of after the next wait', async () => {
    const h = await harness({ ROOM_RETRY_FIRST_MS: '60000', ROOM_RETRY_MAX_MS: '60000' });
    h.fake.failNext('conversations.create', 'fatal_error');
    const first = await sendHook(h.sitrep.url, 'generic', alertFor('Search latency high'));
    const incident = await incidentOf(h, first.json.alerts![0]!.fingerprint);
    await eventually(() => refusedCreates(h) === 1, 'the first try to be refused');

    const started = Date.now();
    await sendHook(h.sitrep.url, 'generic', alertFor('Search latency high'));
    await eventually(async () => (await h.store.get(incident.id))?.room?.cardId, 'the nudged room to open', 8000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(createdChannels(h, 'search-latency-high')).toHaveLength(1);
  });

  it('a room still waiting when sitrep restarts is opened by the next process, once', async () => {
    const h = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES, ONCALL_FILE: ONCALL, ROOM_RETRY_FIRST_MS: '20', ROOM_RETRY_MAX_MS: '80' });
    const replicas: Sitrep[] = [];
    running.push({
      async stop() {
        for (const r of replicas) await r.stop();
        await h.fake.stop();
        const redis = testRedis();
        await cleanPrefix(redis, h.prefix);
        redis.disconnect();
      },
    });
    h.fake.failNext('conversations.create', 'fatal_error', { times: 100_000 });
    const first = await sendHook(h.sitrep.url, 'generic', alertFor('Search shards unassigned'));
    const incident = await incidentOf(h, first.json.alerts![0]!.fingerprint);
    await eventually(() => refusedCreates(h) >= 3, 'a few refused tries');
    await h.sitrep.stop();

    h.fake.heal('conversations.create');
    const next = await h.startReplica();
    replicas.push(next);
    const store = next.deps.store;
    const opened = await eventually(async () => {
      const cur = await store.get(incident.id);
      return cur?.room?.cardId ? cur : undefined;
    }, 'the restarted sitrep to open the room', 15_000);
    expect(createdChannels(h, 'search-shards-unassigned')).toHaveLength(1);
    await eventually(() => h.fake.messages(opened.room!.id).some((m) => m.text?.includes('chat refused to open this room until now')), 'the late note');
  });
});
