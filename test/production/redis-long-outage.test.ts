// Redis gone for 15 seconds under a running bot (its own redis-server with AOF, SIGKILLed, restarted on the
// same port): nothing sitrep acknowledged before or during the outage is lost — a capture, an alert, and an
// alert that had joined the incident a moment before (its card update was still queued) — and what it refused
// during the outage (a webhook, a Slack pin) is taken, once, when the senders retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { RedisProcess } from '../helpers/redis-server.js';
import { eventually } from '../helpers/wait.js';
import { genericAlert, incidentForAlert, INTAKE_RULES, sendHook } from '../alerts/webhooks.js';

const OUTAGE_MS = 15_000;

let redis: RedisProcess;
let h: SlackHarness;
beforeAll(async () => {
  redis = await RedisProcess.start(['--appendonly', 'yes', '--appendfsync', 'always']);
  h = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES, REDIS_URL: redis.url });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis down for 15 s', () => {
  it('loses nothing acknowledged, answers every refused request at once, and takes the retries once afterwards', { timeout: 90_000 }, async () => {
    const first = await sendHook(h.sitrep.url, 'generic', genericAlert('Payments errors', { service: 'payments', severity: 'high', region: 'eu' }));
    const incident = await incidentForAlert(h, first.json.alerts![0]!.fingerprint);
    expect(incident.severity).toBe('SEV2');
    const channel = incident.room!.id;
    const beforeTs = await h.driver.userMessage(channel, 'U_CAROL', 'payments-db primary is at 100% CPU');
    const pinnedBefore = await h.driver.pinAdded({ userId: 'U_CAROL', channelId: channel, messageTs: beforeTs });
    expect(pinnedBefore.status).toBe(200);
    const duringTs = await h.driver.userMessage(channel, 'U_CAROL', 'failing over payments-db to the replica');

    // A worse alert joins and is acknowledged; Redis dies before its card update (a 500 ms window) has run.
    const joined = await sendHook(h.sitrep.url, 'generic', genericAlert('Payments errors', { service: 'payments', severity: 'critical', region: 'us' }));
    expect(joined.status).toBe(202);
    expect(joined.json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId: incident.id });
    await redis.kill();
    const outageEnds = Date.now() + OUTAGE_MS;

    const refusedAlert = genericAlert('Search down', { service: 'search' });
    const pin = await h.driver.pinAdded({ userId: 'U_CAROL', channelId: channel, messageTs: duringTs });
    expect(pin.status).toBeGreaterThanOrEqual(500); // Slack retries what it did not get a 200 for
    expect(pin.ms).toBeLessThan(3000);
    let refusals = 0;
    while (Date.now() < outageEnds) {
      const refused = await sendHook(h.sitrep.url, 'generic', refusedAlert);
      expect(refused.status).toBe(503);
      expect(refused.ms).toBeLessThan(1500);
      refusals++;
      await sleep(1000);
    }
    expect(refusals).toBeGreaterThanOrEqual(5);

    await redis.restart();
    // Alertmanager resends; Slack retries the pin with the same event id.
    const accepted = await eventually(async () => {
      const r = await sendHook(h.sitrep.url, 'generic', refusedAlert);
      return r.status === 202 ? r : undefined;
    }, 'the resent alert to be taken', 15_000);
    const pinEvent = { type: 'pin_added', user: 'U_CAROL', channel_id: channel, item: { type: 'message', channel, message: { type: 'message', ts: duringTs, user: 'U_CAROL', text: 'failing over payments-db to the replica' } } };
    await eventually(async () => {
      const r = await h.driver.event(pinEvent, { eventId: pin.eventId, retryNum: 1, retryReason: 'http_error' });
      return r.status === 200 || undefined;
    }, "Slack's retry of the pin to be taken", 15_000);
    await h.driver.event(pinEvent, { eventId: pin.eventId, retryNum: 2, retryReason: 'http_error' });
    await h.settle();

    // The join queued before the outage was applied after it: severity raised, fingerprint bound.
    const after = await eventually(async () => {
      const cur = await h.store.get(incident.id);
      return cur?.severity === 'SEV1' ? cur : undefined;
    }, 'the joined alert applied once Redis is back', 20_000);
    expect(after.alertFingerprints).toContain(joined.json.alerts![0]!.fingerprint);
    const timeline = await h.store.timeline(incident.id);
    expect(timeline.filter((e) => e.type === 'alert_fired').map((e) => e.type === 'alert_fired' && e.count)).toEqual([1, 1]);
    expect(timeline.filter((e) => e.type === 'message_captured').map((e) => e.type === 'message_captured' && e.text)).toEqual([
      'payments-db primary is at 100% CPU',
      'failing over payments-db to the replica',
    ]);
    // Refused five times and more, declared once.
    expect(accepted.json.alerts?.[0]?.outcome).toBe('declaring');
    await h.settle();
    expect((await h.store.listOpen()).filter((i) => i.title.includes('Search down'))).toHaveLength(1);
  });
});
