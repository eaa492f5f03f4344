// SIGTERM with Redis down: the bot stops within its shutdown budget instead of hanging on BullMQ's
// close (issue 15: still stuck 45 s later).
import { afterAll, describe, expect, it } from 'vitest';
import { startSitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { RedisProcess } from '../helpers/redis-server.js';
import { testPrefix } from '../helpers/redis.js';
import { slackBotEnv } from '../helpers/slack-harness.js';
import { ONCALL_FIXTURE } from '../paging/e2e.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('shutdown', () => {
  it('with Redis gone, a bot with paging (BullMQ) stops within its budget', async () => {
    const redis = await RedisProcess.start();
    cleanup.push(() => redis.stop());
    const fake = await FakeSlack.start();
    cleanup.push(() => fake.stop());
    const sitrep = await startSitrep(parseConfig({ ...slackBotEnv(fake, testPrefix('shutdown')), REDIS_URL: redis.url, ONCALL_FILE: ONCALL_FIXTURE }), silentLogger);

    await redis.kill();
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    await sitrep.stop(2000);
    const took = performance.now() - started;
    expect(took).toBeLessThan(3000);
  }, 30_000);
});
