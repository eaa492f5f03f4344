// Redis goes away under a running bot (its own redis-server, SIGKILLed): every door answers 503 with
// Retry-After at once instead of hanging, /readyz says so within a second, and once Redis is back the
// sender's retry is taken and recorded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { RedisProcess } from '../helpers/redis-server.js';
import { eventually } from '../helpers/wait.js';
import { genericAlert, INTAKE_RULES, sendHook } from '../alerts/webhooks.js';

let redis: RedisProcess;
let h: SlackHarness;
beforeAll(async () => {
  // appendfsync always: what Redis acknowledged survives its SIGKILL, as in production with AOF.
  redis = await RedisProcess.start(['--appendonly', 'yes', '--appendfsync', 'always']);
  h = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES, REDIS_URL: redis.url });
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

async function timed(path: string): Promise<{ status: number; retryAfter: string | null; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${h.sitrep.url}${path}`);
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: performance.now() - started };
}

describe('Redis down: fail fast, then take the retry', () => {
  it('answers 503 with Retry-After within a second on webhooks and /readyz, and records the resent alert once Redis is back', async () => {
    const first = await sendHook(h.sitrep.url, 'generic', genericAlert('Checkout errors', { service: 'checkout' }));
    expect(first.status).toBe(202);
    await h.settle();
    expect((await timed('/readyz')).status).toBe(200);

    await redis.kill();
    const during = genericAlert('Payments latency', { service: 'payments' });
    for (let i = 0; i < 3; i++) {
      const refused = await sendHook(h.sitrep.url, 'generic', during);
      expect(refused.status).toBe(503);
      expect(refused.ms).toBeLessThan(1000);
      expect(refused.json.error).toMatch(/cannot reach its Redis/);
      const ready = await timed('/readyz');
      expect(ready).toMatchObject({ status: 503, retryAfter: '5' });
      expect(ready.ms).toBeLessThan(1000);
    }
    // The raw fetch too, for the header a sender's retry logic reads.
    const raw = await fetch(`${h.sitrep.url}/hooks/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer generic-token-0123456789abcdef' },
      body: JSON.stringify(during),
    });
    expect(raw.status).toBe(503);
    expect(raw.headers.get('retry-after')).toBe('5');

    await redis.restart();
    const accepted = await eventually(async () => {
      const r = await sendHook(h.sitrep.url, 'generic', during);
      return r.status === 202 ? r : undefined;
    }, 'the resent alert to be accepted after Redis returns', 10_000);
    expect(accepted.json.alerts?.[0]?.outcome).toBe('declaring');
    await h.settle();

    const payments = await eventually(() => h.store.findByFingerprint(accepted.json.alerts![0]!.fingerprint), 'the payments incident');
    const incident = await h.store.get(payments);
    expect(incident?.title).toMatch(/Payments latency/);
    // Declared once: the refused attempts left nothing behind to declare twice.
    const open = await h.store.listOpen();
    expect(open.filter((i) => i.title.includes('Payments latency'))).toHaveLength(1);
    expect((await timed('/readyz')).status).toBe(200);
  }, 40_000);

  it('a Slack pin during the outage is answered 500 so Slack retries, and the retry after Redis returns is recorded once', async () => {
    const fingerprint = (await sendHook(h.sitrep.url, 'generic', genericAlert('Checkout errors', { service: 'checkout' }))).json.alerts![0]!.fingerprint;
    const incidentId = await eventually(() => h.store.findByFingerprint(fingerprint), 'the checkout incident');
    const channel = await eventually(async () => (await h.store.get(incidentId))?.room?.id, 'its channel');
    const captured = async () => (await h.store.timeline(incidentId)).filter((e) => e.type === 'message_captured');
    const ts = await h.driver.userMessage(channel, 'U_CAROL', 'rolled back deploy 8812');
    await h.settle();

    await redis.kill();
    const first = await h.driver.pinAdded({ userId: 'U_CAROL', channelId: channel, messageTs: ts });
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(first.ms).toBeLessThan(3000); // inside Slack's 3 s, so the failure is ours to report, not a timeout

    await redis.restart();
    const event = { type: 'pin_added', user: 'U_CAROL', channel_id: channel, item: { type: 'message', channel, message: { type: 'message', ts, user: 'U_CAROL', text: 'rolled back deploy 8812' } } };
    const retry = await eventually(async () => {
      const r = await h.driver.event(event, { eventId: first.eventId, retryNum: 1, retryReason: 'http_error' });
      return r.status === 200 ? r : undefined;
    }, 'Slack\'s retry to be taken', 10_000);
    expect(retry.status).toBe(200);
    await h.driver.event(event, { eventId: first.eventId, retryNum: 2, retryReason: 'http_error' });
    const entries = await captured();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ via: 'pin' });
  }, 40_000);
});
