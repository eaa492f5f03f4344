// The real process (`node src/main.ts`) gets SIGTERM while its Redis is down, as in a rolling update during
// an outage: it stops taking connections at once, hands the request in flight back to its sender (503, so
// it is resent), exits 0 within SHUTDOWN_TIMEOUT_MS, and what it had acknowledged is finished by the next
// replica once Redis is back.
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startSitrep, type Sitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { genericAlert, INTAKE_RULES, sendHook, TOKENS } from '../alerts/webhooks.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { killBots, spawnBot } from '../paging/child-bot.js';
import { ONCALL_FIXTURE } from '../paging/e2e.js';
import { RedisProcess } from '../helpers/redis-server.js';
import { testPrefix } from '../helpers/redis.js';
import { slackBotEnv } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';

const SHUTDOWN_MS = 3000;
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await killBots();
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A webhook whose headers are sent now and whose body comes when `finish` is called: a request in flight. */
function webhookInFlight(url: string, body: string): { finish(): void; answer: Promise<number | 'connection closed'> } {
  const req = request(`${url}/hooks/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${TOKENS.generic}` },
  });
  const answer = new Promise<number | 'connection closed'>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve('connection closed'));
  });
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), answer };
}

describe('SIGTERM while Redis is down', () => {
  it('stops taking connections, hands back the request in flight, exits 0 within its budget, and loses nothing it acknowledged', { timeout: 120_000 }, async () => {
    const redis = await RedisProcess.start(['--appendonly', 'yes', '--appendfsync', 'always']);
    cleanup.push(() => redis.stop());
    const fake = await FakeSlack.start();
    cleanup.push(() => fake.stop());
    const prefix = testPrefix('sigterm');
    const env = { ...slackBotEnv(fake, prefix), REDIS_URL: redis.url, ALERT_RULES_FILE: INTAKE_RULES, ONCALL_FILE: ONCALL_FIXTURE };
    const bot = await spawnBot({ ...env, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_MS) });
    const reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    reader.on('error', () => undefined); // it sees the outage too
    cleanup.push(async () => reader.disconnect());
    const store = new RedisIncidentStore(reader, prefix);

    const first = await sendHook(bot.url, 'generic', genericAlert('Checkout errors', { service: 'checkout', severity: 'high', region: 'eu' }));
    expect(first.status).toBe(202);
    const incidentId = await eventually(() => store.findByFingerprint(first.json.alerts![0]!.fingerprint), 'the checkout incident recorded', 15_000);
    await eventually(async () => (await store.get(incidentId))?.room?.cardId, 'its room', 15_000);
    expect((await store.get(incidentId))!.severity).toBe('SEV2');

    // Acknowledged just before the outage and the SIGTERM: a worse alert joins; applying it is still queued.
    const joined = await sendHook(bot.url, 'generic', genericAlert('Checkout errors', { service: 'checkout', severity: 'critical', region: 'us' }));
    expect(joined.json.alerts?.[0]).toMatchObject({ outcome: 'recorded', incidentId });
    await redis.kill();
    const inFlight = webhookInFlight(bot.url, JSON.stringify(genericAlert('Search down', { service: 'search' })));
    await new Promise((r) => setTimeout(r, 300)); // the request is in, waiting for its body

    const started = performance.now();
    const exit = bot.terminate();
    await new Promise((r) => setTimeout(r, 300));
    await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow(); // no longer listening
    inFlight.finish();
    const { code, output } = await exit;
    const took = performance.now() - started;

    expect(await inFlight.answer).toBe(503); // handed back: the sender resends it to another replica
    expect(code, output).toBe(0);
    expect(took).toBeLessThan(SHUTDOWN_MS + 1000);

    // Redis returns; the next replica finishes what the stopped one had acknowledged, and takes the resend.
    await redis.restart();
    const next: Sitrep = await startSitrep(parseConfig(env), silentLogger);
    cleanup.push(() => next.stop());
    const applied = await eventually(async () => {
      const cur = await store.get(incidentId);
      return cur?.severity === 'SEV1' ? cur : undefined;
    }, 'the joined alert applied by the next replica', 30_000);
    expect(applied.alertFingerprints).toContain(joined.json.alerts![0]!.fingerprint);
    const resent = await sendHook(next.url, 'generic', genericAlert('Search down', { service: 'search' }));
    expect(resent.status).toBe(202);
    await eventually(async () => (await store.listOpen()).some((i) => i.title.includes('Search down')), 'the resent alert declared', 15_000);
    expect((await store.listOpen()).map((i) => i.title).filter((t) => /Checkout errors|Search down/.test(t))).toHaveLength(2);
  });
});
