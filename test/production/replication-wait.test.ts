// REDIS_WAIT_REPLICAS=1 makes every acknowledged write a replicated one, at every door: while the master has
// no replica to confirm, a Slack event and an alert webhook are answered 503 (their senders retry) instead of
// 200/202; once a replica is in sync, the retries are answered and recorded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericAlert, INTAKE_RULES, sendHook } from '../alerts/webhooks.js';
import { RedisProcess } from '../helpers/redis-server.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';

let master: RedisProcess;
let replica: RedisProcess | undefined;
let h: SlackHarness;
beforeAll(async () => {
  master = await RedisProcess.start(['--appendonly', 'yes']);
  h = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES, REDIS_URL: master.url, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '200' });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await replica?.stop();
  await master?.stop();
});

describe('REDIS_WAIT_REPLICAS on every door', () => {
  it('a Slack pin and an alert are refused with 503 while no replica confirms, and taken once when one does', { timeout: 60_000 }, async () => {
    // The incident and its channel, declared while a replica confirmed nothing: the slash command is refused too.
    const declare = await h.driver.slashCommand({ text: 'Checkout 500s', userId: 'U_CAROL', channelId: 'C_GENERAL' });
    expect(declare.status).toBe(503);

    replica = await RedisProcess.start(['--replicaof', '127.0.0.1', String(master.port), '--enable-debug-command', 'yes']);
    const probe = master.client();
    await eventually(async () => /connected_slaves:1/.test(await probe.info('replication')), 'the replica in sync', 15_000);

    await h.driver.slashCommand({ text: 'Checkout 500s', userId: 'U_CAROL', channelId: 'C_GENERAL' });
    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Checkout 500s' && i.room?.cardId), 'the incident', 15_000);
    const channel = incident.room!.id;
    const ts = await h.driver.userMessage(channel, 'U_CAROL', 'rolled back checkout 4411');
    await h.settle();

    // The replica stops confirming for 3 s (DEBUG SLEEP: stuck, as an overloaded or partitioned replica would be).
    const replicaClient = replica.client();
    await replicaClient.call('DEBUG', 'SLEEP', '0'); // warm the connection
    const sleeping = replicaClient.call('DEBUG', 'SLEEP', '3');

    const pin = await h.driver.pinAdded({ userId: 'U_CAROL', channelId: channel, messageTs: ts });
    expect(pin.status).toBe(503);
    const alert = genericAlert('Checkout errors', { service: 'checkout' });
    const refused = await sendHook(h.sitrep.url, 'generic', alert);
    expect(refused.status).toBe(503);
    expect(refused.json.error).toMatch(/Retry in a few seconds/);

    await sleeping;
    const event = { type: 'pin_added', user: 'U_CAROL', channel_id: channel, item: { type: 'message', channel, message: { type: 'message', ts, user: 'U_CAROL', text: 'rolled back checkout 4411' } } };
    await eventually(async () => (await h.driver.event(event, { eventId: pin.eventId, retryNum: 1, retryReason: 'http_error' })).status === 200 || undefined, "Slack's retry taken", 10_000);
    const resent = await eventually(async () => {
      const r = await sendHook(h.sitrep.url, 'generic', alert);
      return r.status === 202 ? r : undefined;
    }, 'the resent alert taken', 10_000);
    expect(resent.status).toBe(202);
    await h.settle();

    const captured = (await h.store.timeline(incident.id)).filter((e) => e.type === 'message_captured');
    expect(captured).toHaveLength(1);
    probe.disconnect();
    replicaClient.disconnect();
  });
});
