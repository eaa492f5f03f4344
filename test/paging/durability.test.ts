import { afterEach, describe, expect, it } from 'vitest';
import type { Sitrep } from '../../src/app.js';
import type { Incident } from '../../src/domain/incident.js';
import type { RedisIncidentStore } from '../../src/store/incident-store.js';
import { cleanPrefix, testRedis } from '../helpers/redis.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { channelTexts, current, declare, escalationSummary, page, pagesReceived, pagingEvents, sleep, waitForPage, ONCALL_FIXTURE } from './e2e.js';

let h: SlackHarness | undefined;
const replicas: Sitrep[] = [];
let harnessStopped = false;

afterEach(async () => {
  for (const r of replicas.splice(0)) await r.stop();
  if (!h) return;
  if (!harnessStopped) await h.sitrep.stop();
  await h.fake.stop();
  const redis = testRedis();
  await cleanPrefix(redis, h.prefix);
  redis.disconnect();
  h = undefined;
  harnessStopped = false;
});

const FULL_RUN = ['paged U_ALICE', 'escalated 0→1', 'paged U_BOB', 'escalated 1→0', 'paged U_ALICE', 'escalated 0→1', 'paged U_BOB', 'escalated 1→end'];

async function exhausted(harness: SlackHarness, incident: Incident): Promise<void> {
  await eventually(async () => (await current(harness, incident)).pages[0]?.announced === 'exhausted', `INC-${incident.number} running out of levels`, 15_000);
}

describe('escalation timers live in Redis', () => {
  it('a bot stopped mid-escalation loses nothing: the next instance on the same Redis fires the escalation once', async () => {
    h = await startSlackHarness({ ONCALL_FILE: ONCALL_FIXTURE });
    const incident = await declare(h, 'Restart');
    await page(h, incident, 'team-relay'); // level 1 waits 3 s
    await waitForPage(h, 'U_ALICE', incident);
    const due = Date.parse((await current(h, incident)).pages[0]!.nextEscalationAt!);

    await h.sitrep.stop();
    harnessStopped = true;
    await sleep(due - Date.now() + 500); // the escalation comes due while no bot runs
    expect(pagesReceived(h, 'U_BOB', incident)).toEqual([]);

    const restarted = await h.startReplica();
    replicas.push(restarted);
    const after: SlackHarness = { ...h, sitrep: restarted, store: restarted.deps.store as RedisIncidentStore };
    const bobs = await waitForPage(after, 'U_BOB', incident);
    expect(bobs.buttons).toBe(true);
    await sleep(1500);
    expect(escalationSummary(await pagingEvents(after, incident))).toEqual(['paged U_ALICE', 'escalated 0→1', 'paged U_BOB']);
    expect(pagesReceived(after, 'U_BOB', incident)).toHaveLength(1);
    expect((await current(after, incident)).pages[0]).toMatchObject({ level: 1, status: 'pending' });
  });

  it('with two replicas on one Redis, each escalation fires exactly once', async () => {
    h = await startSlackHarness({ ONCALL_FILE: ONCALL_FIXTURE });
    replicas.push(await h.startReplica());
    const incidents = await Promise.all([declare(h, 'Twins A'), declare(h, 'Twins B'), declare(h, 'Twins C')]);
    await Promise.all(incidents.map((i) => page(h!, i, 'team-identity')));

    for (const incident of incidents) await exhausted(h, incident);
    await sleep(1500);
    for (const incident of incidents) {
      expect(escalationSummary(await pagingEvents(h, incident))).toEqual(FULL_RUN);
      expect(pagesReceived(h, 'U_ALICE', incident)).toHaveLength(2);
      expect(pagesReceived(h, 'U_BOB', incident)).toHaveLength(2);
      expect(channelTexts(h, incident).filter((t) => t.includes('Nobody answered'))).toHaveLength(1);
      expect(channelTexts(h, incident).filter((t) => t.startsWith(':pager: Paged'))).toHaveLength(4);
      expect(h.fake.dms('U_CAROL').filter((m) => m.text.includes(`INC-${incident.number}:`))).toHaveLength(1);
    }
  });
});
