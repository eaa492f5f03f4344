// The whole flow on a Redis Cluster of three masters (started by the test on ports of its own): declare,
// a note, alerts opening and joining an incident, a page escalating through BullMQ, acknowledge, resolve,
// close and the postmortem. Keys of one incident, one alert group or one queue share a hash tag; a command
// or script that spans slots would fail here with CROSSSLOT, which the log is checked for as well.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSitrep, type Sitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Incident } from '../../src/domain/incident.js';
import type { RedisIncidentStore } from '../../src/store/incident-store.js';
import { genericAlert, INTAKE_RULES, sendHook } from '../alerts/webhooks.js';
import { SlackDriver } from '../fakes/slack/driver.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { ACK, escalationSummary, pagingEvents, press, waitForPage, ONCALL_FIXTURE, type PagingView } from '../paging/e2e.js';
import { startRedisCluster } from '../helpers/redis-server.js';
import { testPrefix } from '../helpers/redis.js';
import { SIGNING_SECRET, slackBotEnv } from '../helpers/slack-harness.js';
import { settleAll } from '../helpers/settle.js';
import { eventually } from '../helpers/wait.js';

let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
let fake: FakeSlack;
let sitrep: Sitrep;
let via: PagingView;
const logLines: string[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  fake = await FakeSlack.start();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const config = parseConfig({
    ...slackBotEnv(fake, testPrefix('cluster')),
    REDIS_CLUSTER_NODES: cluster.seeds.join(','),
    ONCALL_FILE: ONCALL_FIXTURE,
    ALERT_RULES_FILE: INTAKE_RULES,
  });
  sitrep = await startSitrep(config, pino({ level: 'warn' }, sink));
  const driver = new SlackDriver({ botUrl: `${sitrep.url}/slack/events`, signingSecret: SIGNING_SECRET, fake });
  via = { fake, driver, store: sitrep.deps.store as RedisIncidentStore };
}, 90_000);

afterAll(async () => {
  await sitrep?.stop();
  await fake?.stop();
  await cluster?.stop();
});

async function run(incident: Incident, text: string, userId = 'U_CAROL'): Promise<void> {
  const before = (await via.store.timeline(incident.id)).length;
  const res = await via.driver.slashCommand({ text, userId, channelId: incident.room!.id });
  expect(res.status).toBe(200);
  await eventually(async () => (await via.store.timeline(incident.id)).length > before, `"/incident ${text}" to take effect`, 10_000);
  await settleAll(sitrep);
}

describe('on a 3-master Redis Cluster', () => {
  it('declare, note, alerts, paging through BullMQ and the postmortem all work, with no CROSSSLOT anywhere', { timeout: 90_000 }, async () => {
    // Declared by a person, with a note.
    await via.driver.slashCommand({ text: 'Checkout latency on the cluster', userId: 'U_CAROL', channelId: 'C_GENERAL' });
    const incident = await eventually(async () => (await via.store.listOpen()).find((i) => i.title === 'Checkout latency on the cluster' && i.room?.cardId), 'the declared incident', 15_000);
    await run(incident, 'note pool saturated on checkout-db');

    // Alerts: one opens an incident of its own, a worse one of the same group joins it.
    const opened = await sendHook(sitrep.url, 'generic', genericAlert('Payments errors', { service: 'payments', severity: 'high', region: 'eu' }));
    expect(opened.status).toBe(202);
    const alertIncidentId = await eventually(() => via.store.findByFingerprint(opened.json.alerts![0]!.fingerprint), 'the alert incident', 15_000);
    await eventually(async () => (await via.store.get(alertIncidentId))?.room?.cardId, 'its room', 15_000);
    const joined = await sendHook(sitrep.url, 'generic', genericAlert('Payments errors', { service: 'payments', severity: 'critical', region: 'us' }));
    expect(joined.json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId: alertIncidentId });
    await eventually(async () => (await via.store.get(alertIncidentId))?.severity === 'SEV1', 'the joined alert applied', 15_000);

    // Paging: team-identity's 1-second levels escalate from alice to bob through BullMQ's delayed jobs.
    const paged = await via.driver.slashCommand({ text: 'page team-identity', userId: 'U_CAROL', channelId: incident.room!.id });
    expect(paged.status).toBe(200);
    await waitForPage(via, 'U_ALICE', incident);
    const bobs = await eventually(async () => {
      await waitForPage(via, 'U_BOB', incident);
      return (await via.store.get(incident.id))!.pages[0];
    }, "bob's page", 15_000);
    await press(via, ACK, 'U_BOB', incident, bobs!.id);
    await eventually(async () => (await via.store.get(incident.id))?.pages[0]?.status === 'acknowledged', 'the acknowledgement', 10_000);
    expect(escalationSummary(await pagingEvents(via, incident)).slice(0, 3)).toEqual(['paged U_ALICE', 'escalated 0→1', 'paged U_BOB']);

    // Resolve and close: the postmortem draft is written and uploaded.
    await run(incident, 'resolve pool resized');
    await run(incident, 'close');
    await eventually(() => fake.files.some((f) => f.name === `INC-${incident.number}-postmortem.md`), 'the postmortem file', 20_000);
    const timeline = await via.store.timeline(incident.id);
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['declared', 'note', 'paged', 'escalated', 'acknowledged', 'resolved', 'closed']));

    expect(logLines.filter((l) => /CROSSSLOT|ERR.*slot/i.test(l))).toEqual([]);
    expect(logLines.filter((l) => /"level":50/.test(l))).toEqual([]);
  });
});
