// Limits at the alert doors: what a runaway sender or a hostile one can make sitrep do.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../src/store/rate-limit.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { testRedis } from '../helpers/redis.js';
import { genericAlert, INTAKE_RULES, redisSnapshot, sendHook, TOKENS } from '../alerts/webhooks.js';

let h: SlackHarness;
let redis: Redis;
beforeAll(async () => {
  h = await startSlackHarness({ ALERT_RULES_FILE: INTAKE_RULES, ALERTS_MAX_PER_REQUEST: '5', ALERT_INCIDENTS_PER_MINUTE: '3' });
  redis = testRedis();
});
afterAll(async () => {
  redis?.disconnect();
  await h?.stop();
});

const alerts = (n: number, prefix: string) => ({ alerts: Array.from({ length: n }, (_, i) => genericAlert(`${prefix} ${i}`, { service: `svc-${prefix}-${i}` })) });

describe('limits at the alert doors', () => {
  it('a text/plain webhook is refused with 415 and writes nothing', async () => {
    await h.settle();
    const before = await redisSnapshot(redis, h.prefix);
    const res = await fetch(`${h.sitrep.url}/hooks/generic`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKENS.generic}` },
      body: JSON.stringify(genericAlert('Disk full')),
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: string }).error).toMatch(/Content-Type: application\/json/);
    expect(await redisSnapshot(redis, h.prefix)).toEqual(before);
  });

  it('a webhook with more alerts than ALERTS_MAX_PER_REQUEST is refused with 413 and writes nothing', async () => {
    const before = await redisSnapshot(redis, h.prefix);
    const res = await sendHook(h.sitrep.url, 'generic', alerts(6, 'toomany'));
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/carries 6 alerts; sitrep takes at most 5 per request \(ALERTS_MAX_PER_REQUEST\)/);
    expect(await redisSnapshot(redis, h.prefix)).toEqual(before);
  });

  it('new incidents past the per-minute budget of a source get 429 with Retry-After; alerts of existing incidents still get in', { timeout: 40_000 }, async () => {
    // The budget is per clock minute: start well inside one so the test cannot straddle two.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const tooBig = await sendHook(h.sitrep.url, 'generic', alerts(4, 'big'));
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatch(/would open 4 new incidents; sitrep opens at most 3 per minute per source/);

    const three = await sendHook(h.sitrep.url, 'generic', alerts(3, 'storm'));
    expect(three.status).toBe(202);
    expect(three.json.alerts?.map((a) => a.outcome)).toEqual(['declaring', 'declaring', 'declaring']);
    await h.settle();

    const before = await redisSnapshot(redis, h.prefix);
    const raw = JSON.stringify(genericAlert('One more', { service: 'other' }));
    const res = await fetch(`${h.sitrep.url}/hooks/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.generic}` },
      body: raw,
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await res.json()) as { error: string }).error).toMatch(/ALERT_INCIDENTS_PER_MINUTE/);
    expect(await redisSnapshot(redis, h.prefix)).toEqual(before);

    // A repeat of an alert whose incident is open opens nothing and is not charged.
    const repeat = await sendHook(h.sitrep.url, 'generic', { alerts: [genericAlert('storm 0', { service: 'svc-storm-0' })] });
    expect(repeat.status).toBe(202);
    expect(repeat.json.alerts?.[0]?.outcome).toBe('recorded');
  });

  it('a storm racing to open the same alert groups is charged once per group, not once per request', async () => {
    const budget = new RedisRateLimiter(redis, h.prefix, 3);
    const bucket = `incidents:race-${Date.now()}`;
    const now = Date.now();
    // Twenty requests of two new groups arrive before either group is claimed: two units, not twenty.
    const racing = await Promise.all(Array.from({ length: 20 }, (_, i) => budget.take(bucket, [`group-${i % 2}`], now)));
    expect(racing.every((r) => r.ok)).toBe(true);
    expect((await budget.take(bucket, ['group-2'], now)).ok).toBe(true);
    // The budget is spent: a fourth group is refused, and all-or-nothing leaves nothing taken.
    expect((await budget.take(bucket, ['group-3', 'group-0'], now)).ok).toBe(false);
    expect((await budget.take(bucket, ['group-1'], now)).ok).toBe(true);
  });

  it('a huge unknown key is not echoed back whole (400 answer stays small)', async () => {
    const key = 'x'.repeat(900_000);
    const res = await sendHook(h.sitrep.url, 'generic', { title: 'Disk full', [key]: 1 });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/unknown field "x{60}… \(900000 characters\)"/);
    expect(JSON.stringify(res.json).length).toBeLessThan(1000);
  });
});
